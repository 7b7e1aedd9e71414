from django.urls import path

from ..views.plans import bulk, compilations, monthly, outputs, qualifications, recruitment

urlpatterns = [
    # Monthly plans (工作手册)
    path("plans/", monthly.plan_my, name="plan_my"),
    path("plans/monthly/start/", monthly.plan_start, name="plan_start"),
    path("plans/monthly/<int:pk>/", monthly.plan_detail, name="plan_detail"),
    path("plans/monthly/<int:pk>/items/new/", monthly.plan_item_add, name="plan_item_add"),
    path("plans/monthly/items/<int:pk>/edit/", monthly.plan_item_edit, name="plan_item_edit"),
    path("plans/monthly/items/<int:pk>/delete/", monthly.plan_item_delete, name="plan_item_delete"),
    path("plans/monthly/<int:pk>/report/", monthly.plan_report, name="plan_report"),
    path("plans/monthly/<int:pk>/carry-over/", monthly.plan_carry_over, name="plan_carry_over"),
    path("plans/monthly/<int:pk>/reopen/", monthly.plan_reopen, name="plan_reopen"),
    path("plans/assign/", monthly.plan_assign, name="plan_assign"),
    path("plans/completion/", monthly.plan_completion, name="plan_completion"),
    path("plans/completion/<int:pk>/", monthly.plan_completion_department, name="plan_completion_department"),
    # Research outputs (调研成果)
    path("plans/outputs/", outputs.output_list, name="output_list"),
    path("plans/outputs/new/", outputs.output_create, name="output_create"),
    path("plans/outputs/import/", outputs.output_import, name="output_import"),
    path("plans/outputs/import/template.xlsx", outputs.output_template, name="output_template"),
    path("plans/outputs/<int:pk>/", outputs.output_detail, name="output_detail"),
    path("plans/outputs/<int:pk>/edit/", outputs.output_edit, name="output_edit"),
    path("plans/outputs/<int:pk>/delete/", outputs.output_delete, name="output_delete"),
    path("plans/outputs/<int:pk>/file/", outputs.output_file, name="output_file"),
    # Compilations (成果汇编)
    path("plans/compilations/", compilations.compilation_list, name="compilation_list"),
    path("plans/compilations/new/", compilations.compilation_create, name="compilation_create"),
    path("plans/compilations/<int:pk>/", compilations.compilation_detail, name="compilation_detail"),
    path("plans/compilations/<int:pk>/edit/", compilations.compilation_edit, name="compilation_edit"),
    path("plans/compilations/<int:pk>/add/", compilations.compilation_add_outputs, name="compilation_add_outputs"),
    path(
        "plans/compilations/<int:pk>/add-filtered/",
        compilations.compilation_add_filtered,
        name="compilation_add_filtered",
    ),
    path("plans/compilations/<int:pk>/order/", compilations.compilation_order, name="compilation_order"),
    path(
        "plans/compilations/<int:pk>/items/<int:item_pk>/move/",
        compilations.compilation_item_move,
        name="compilation_item_move",
    ),
    path(
        "plans/compilations/<int:pk>/items/<int:item_pk>/remove/",
        compilations.compilation_item_remove,
        name="compilation_item_remove",
    ),
    path("plans/compilations/<int:pk>/build/", compilations.compilation_build, name="compilation_build"),
    path("plans/compilations/<int:pk>/progress/", compilations.compilation_progress, name="compilation_progress"),
    path("plans/compilations/<int:pk>/download/", compilations.compilation_download, name="compilation_download"),
    path("plans/compilations/<int:pk>/delete/", compilations.compilation_delete, name="compilation_delete"),
    # Study-group recruitment (研习小组招募)
    path("plans/recruitment/", recruitment.recruitment_list, name="recruitment_list"),
    path("plans/recruitment/new/", recruitment.recruitment_create, name="recruitment_create"),
    path("plans/recruitment/<int:pk>/", recruitment.recruitment_detail, name="recruitment_detail"),
    path("plans/recruitment/<int:pk>/edit/", recruitment.recruitment_edit, name="recruitment_edit"),
    path("plans/recruitment/<int:pk>/apply/", recruitment.recruitment_apply, name="recruitment_apply"),
    path("plans/recruitment/<int:pk>/withdraw/", recruitment.recruitment_withdraw, name="recruitment_withdraw"),
    path(
        "plans/recruitment/<int:pk>/applications/",
        recruitment.recruitment_applications,
        name="recruitment_applications",
    ),
    path(
        "plans/recruitment/<int:pk>/applications/decide/",
        bulk.recruitment_decide_many,
        name="recruitment_decide_many",
    ),
    path("plans/recruitment/applications/<int:pk>/decide/", recruitment.recruitment_decide, name="recruitment_decide"),
    path(
        "plans/recruitment/<int:pk>/squads/form/", recruitment.recruitment_form_squads, name="recruitment_form_squads"
    ),
    path("plans/recruitment/<int:pk>/squads/", recruitment.recruitment_squads, name="recruitment_squads"),
    path("plans/recruitment/<int:pk>/squads/move/", recruitment.recruitment_squad_move, name="recruitment_squad_move"),
    path(
        "plans/recruitment/<int:pk>/squads/move-many/",
        bulk.recruitment_squad_move_many,
        name="recruitment_squad_move_many",
    ),
    path(
        "plans/recruitment/squads/<int:pk>/leader/",
        recruitment.recruitment_squad_leader,
        name="recruitment_squad_leader",
    ),
    path("plans/people/<int:member_pk>/outcomes/new/", recruitment.outcome_create, name="outcome_create"),
    path("plans/outcomes/<int:pk>/delete/", recruitment.outcome_delete, name="outcome_delete"),
    # Qualifications
    path("plans/qualifications/", qualifications.qualification_list, name="qualification_list"),
    path("plans/qualifications/new/", qualifications.qualification_create, name="qualification_create"),
    path(
        "plans/people/<int:member_pk>/qualifications/new/",
        qualifications.qualification_create_for,
        name="qualification_create_for",
    ),
    path("plans/qualifications/<int:pk>/edit/", qualifications.qualification_edit, name="qualification_edit"),
    path("plans/qualifications/<int:pk>/delete/", qualifications.qualification_delete, name="qualification_delete"),
    path("plans/qualifications/<int:pk>/file/", qualifications.qualification_file, name="qualification_file"),
    path("plans/qualifications/counts/", qualifications.qualification_counts, name="qualification_counts"),
]
