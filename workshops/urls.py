from django.urls import path

from .views import console, room, system, table

app_name = "workshops"

urlpatterns = [
    path("", system.home, name="home"),
    # --- Facilitator console: workshops, tables, agents, agenda, pre-work (views/console.py) ---
    path("workshops/", system.workshop_list, name="list"),
    path("workshops/new/", console.workshop_create, name="create"),
    path("workshops/<int:workshop_id>/", console.workshop_detail, name="detail"),
    path("workshops/<int:workshop_id>/edit/", console.workshop_edit, name="edit"),
    path("workshops/<int:workshop_id>/tables/", console.table_list, name="tables"),
    path(
        "workshops/<int:workshop_id>/tables/<int:table_id>/rename/",
        console.table_rename,
        name="table_rename",
    ),
    path(
        "workshops/<int:workshop_id>/tables/<int:table_id>/delete/",
        console.table_delete,
        name="table_delete",
    ),
    path("workshops/<int:workshop_id>/agenda/", console.agenda, name="agenda"),
    path(
        "workshops/<int:workshop_id>/agenda/<int:item_id>/",
        console.agenda_item_edit,
        name="agenda_item",
    ),
    path("workshops/<int:workshop_id>/prework/", console.prework, name="prework"),
    path(
        "workshops/<int:workshop_id>/prework/<int:item_id>/",
        console.prework_item_edit,
        name="prework_item",
    ),
    path(
        "workshops/<int:workshop_id>/prework/narrative/",
        console.narrative_upload,
        name="narrative_upload",
    ),
    path(
        "workshops/<int:workshop_id>/prework/narrative/remove/",
        console.narrative_remove,
        name="narrative_remove",
    ),
    path("workshops/<int:workshop_id>/actions/", console.action_list, name="actions"),
    path("workshops/<int:workshop_id>/actions/new/", console.action_create, name="action_create"),
    path(
        "workshops/<int:workshop_id>/actions/<int:action_id>/edit/",
        console.action_edit,
        name="action_edit",
    ),
    # --- The live room: presenter, projector, join, table workspace, board (views/room.py) ---
    path("workshops/<int:workshop_id>/presenter/", room.presenter, name="presenter"),
    path(
        "workshops/<int:workshop_id>/presenter/<slug:action>/",
        room.run_control,
        name="run_control",
    ),
    path("workshops/<int:workshop_id>/projector/", room.projector_screen, name="projector"),
    path(
        "workshops/<int:workshop_id>/projector/show/",
        room.projector_show,
        name="projector_show",
    ),
    path("workshops/<int:workshop_id>/board/", room.board, name="board"),
    path(
        "workshops/<int:workshop_id>/board/tables/<int:table_id>/lock/",
        room.table_lock,
        name="table_lock",
    ),
    path(
        "workshops/<int:workshop_id>/board/tables/<int:table_id>/rotate/",
        room.table_rotate,
        name="table_rotate",
    ),
    path(
        "workshops/<int:workshop_id>/board/participants/<int:participant_id>/remove/",
        room.participant_remove,
        name="participant_remove",
    ),
    path("join", table.join, name="join"),
    path("join/leave", table.leave, name="leave"),
    path("t/", table.workspace, name="workspace"),
    path("t/agents/<int:agent_id>/", table.table_agent, name="table_agent"),
]
