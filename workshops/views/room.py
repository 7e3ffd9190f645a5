"""The live room: presenter, projector, joining, table workspace, progress board."""
