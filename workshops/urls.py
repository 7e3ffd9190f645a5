from django.urls import path

from .views import console, room, system

app_name = "workshops"

urlpatterns = [
    path("", system.home, name="home"),
    # --- Facilitator console: workshops, tables, agents, agenda, pre-work (views/console.py) ---
    path("workshops/", system.workshop_list, name="list"),
    # --- The live room: presenter, projector, join, table workspace, board (views/room.py) ---
]
