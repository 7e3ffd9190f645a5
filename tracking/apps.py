from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Value tracking after the workshop"

    def ready(self):
        # The checkpoint meetings put the portfolio's status on the projector.
        from workshops.changes import WORK_REVIEW
        from workshops.projector import ProjectorView, register

        from .selectors import projector_context

        register(
            ProjectorView(
                key="tracking",
                label="Value tracking",
                template="tracking/pj_tracking.html",
                context=projector_context,
                watches=WORK_REVIEW,
            )
        )
