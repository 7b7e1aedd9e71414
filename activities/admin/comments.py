from django.contrib import admin

from ..models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "author", "owner", "content_type", "object_id", "text"]
    list_filter = ["content_type"]
    raw_id_fields = ["author", "owner"]
