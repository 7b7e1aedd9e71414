from django.urls import path

from ..views.reading import books, campaigns, donations, logs, plans, recommendations, reflections

urlpatterns = [
    path("reading/", campaigns.reading_home, name="reading_home"),
    # campaigns
    path("reading/campaigns/", campaigns.reading_campaign_list, name="reading_campaign_list"),
    path("reading/campaigns/new/", campaigns.reading_campaign_create, name="reading_campaign_create"),
    path("reading/campaigns/<int:pk>/", campaigns.reading_campaign_detail, name="reading_campaign_detail"),
    path("reading/campaigns/<int:pk>/edit/", campaigns.reading_campaign_edit, name="reading_campaign_edit"),
    path("reading/campaigns/<int:pk>/status/", campaigns.reading_campaign_status, name="reading_campaign_status"),
    path(
        "reading/campaigns/<int:pk>/plan-document/",
        campaigns.reading_campaign_plan_document,
        name="reading_campaign_plan_document",
    ),
    path(
        "reading/campaigns/<int:pk>/dashboard/", campaigns.reading_campaign_dashboard, name="reading_campaign_dashboard"
    ),
    path("reading/campaigns/<int:pk>/export.xlsx", campaigns.reading_campaign_export, name="reading_campaign_export"),
    path(
        "reading/campaigns/<int:pk>/encourage/", campaigns.reading_campaign_encourage, name="reading_campaign_encourage"
    ),
    path("reading/campaigns/<int:pk>/screen/", campaigns.reading_campaign_screen, name="reading_campaign_screen"),
    # plans
    path("reading/campaigns/<int:pk>/plan/", plans.reading_plan, name="reading_plan"),
    path("reading/plan-items/<int:pk>/delete/", plans.reading_plan_item_delete, name="reading_plan_item_delete"),
    # books
    path("reading/books/", books.reading_book_list, name="reading_book_list"),
    path("reading/books/new/", books.reading_book_create, name="reading_book_create"),
    path("reading/books/<int:pk>/", books.reading_book_detail, name="reading_book_detail"),
    path("reading/books/<int:pk>/edit/", books.reading_book_edit, name="reading_book_edit"),
    path("reading/books/<int:pk>/cover/", books.reading_book_cover, name="reading_book_cover"),
    # recommendations (荐书台)
    path("reading/recommendations/", recommendations.reading_recommendation_list, name="reading_recommendation_list"),
    path(
        "reading/campaigns/<int:pk>/recommend/",
        recommendations.reading_recommendation_create,
        name="reading_recommendation_create",
    ),
    path(
        "reading/recommendations/<int:pk>/",
        recommendations.reading_recommendation_detail,
        name="reading_recommendation_detail",
    ),
    path(
        "reading/recommendations/<int:pk>/edit/",
        recommendations.reading_recommendation_edit,
        name="reading_recommendation_edit",
    ),
    path(
        "reading/recommendations/<int:pk>/delete/",
        recommendations.reading_recommendation_delete,
        name="reading_recommendation_delete",
    ),
    path(
        "reading/recommendations/<int:pk>/redraw/",
        recommendations.reading_recommendation_retry,
        name="reading_recommendation_retry",
    ),
    path(
        "reading/recommendations/<int:pk>/poster/<str:size>.png",
        recommendations.reading_recommendation_poster,
        name="reading_recommendation_poster",
    ),
    # reading logs
    path("reading/logs/", logs.reading_log_list, name="reading_log_list"),
    path("reading/logs/new/", logs.reading_log_create, name="reading_log_create"),
    path("reading/logs/<int:pk>/edit/", logs.reading_log_edit, name="reading_log_edit"),
    path("reading/logs/<int:pk>/delete/", logs.reading_log_delete, name="reading_log_delete"),
    # reflections
    path("reading/reflections/", reflections.reading_reflection_list, name="reading_reflection_list"),
    path("reading/reflections/new/", reflections.reading_reflection_create, name="reading_reflection_create"),
    path(
        "reading/reflections/review/", reflections.reading_reflection_review_list, name="reading_reflection_review_list"
    ),
    path("reading/reflections/<int:pk>/", reflections.reading_reflection_detail, name="reading_reflection_detail"),
    path("reading/reflections/<int:pk>/edit/", reflections.reading_reflection_edit, name="reading_reflection_edit"),
    path(
        "reading/reflections/<int:pk>/submit/", reflections.reading_reflection_submit, name="reading_reflection_submit"
    ),
    path(
        "reading/reflections/<int:pk>/delete/", reflections.reading_reflection_delete, name="reading_reflection_delete"
    ),
    path(
        "reading/reflections/<int:pk>/review/", reflections.reading_reflection_review, name="reading_reflection_review"
    ),
    path(
        "reading/reflections/<int:pk>/attachment/",
        reflections.reading_reflection_attachment,
        name="reading_reflection_attachment",
    ),
    path("reading/featured/", reflections.reading_featured_list, name="reading_featured_list"),
    # donations (捐书台账)
    path("reading/donations/", donations.reading_donation_list, name="reading_donation_list"),
    path("reading/donations/new/", donations.reading_donation_create, name="reading_donation_create"),
    path("reading/donations/<int:pk>/", donations.reading_donation_detail, name="reading_donation_detail"),
    path("reading/donations/<int:pk>/receipt/", donations.reading_donation_receipt, name="reading_donation_receipt"),
    path("reading/partners/new/", donations.reading_partner_create, name="reading_partner_create"),
    path("reading/partners/<int:pk>/edit/", donations.reading_partner_edit, name="reading_partner_edit"),
]
