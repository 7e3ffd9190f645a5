"""Pin each agent's workload to the list price in force on its workshop's pricing date, copied
onto the agent so later catalogue changes never move it."""

import django.db.models.deletion
from django.db import migrations, models


def pin_prices(apps, schema_editor):
    Agent = apps.get_model("agents", "Agent")
    PricePoint = apps.get_model("foundation", "PricePoint")
    agents = Agent.objects.filter(
        workload_model__isnull=False, workload_price_date__isnull=True
    ).select_related("workshop")
    for agent in agents:
        point = (
            PricePoint.objects.filter(
                model_id=agent.workload_model_id,
                effective_date__lte=agent.workshop.pricing_date,
            )
            .order_by("-effective_date")
            .first()
        )
        if point is None:
            continue
        Agent.objects.filter(pk=agent.pk).update(
            workload_price_date=point.effective_date,
            workload_input_usd_per_mtok=point.input_usd_per_mtok,
            workload_output_usd_per_mtok=point.output_usd_per_mtok,
            workload_cached_input_usd_per_mtok=point.cached_input_usd_per_mtok,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0003_agent_workload"),
        ("foundation", "0002_seed_catalogues"),
        ("workshops", "0003_workshop_pricing_date"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agent",
            name="workload_model",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="foundation.llmmodel",
                verbose_name="model",
            ),
        ),
        migrations.AddField(
            model_name="agent",
            name="workload_cached_input_usd_per_mtok",
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=14, null=True),
        ),
        migrations.AddField(
            model_name="agent",
            name="workload_input_usd_per_mtok",
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=14, null=True),
        ),
        migrations.AddField(
            model_name="agent",
            name="workload_output_usd_per_mtok",
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=14, null=True),
        ),
        migrations.AddField(
            model_name="agent",
            name="workload_price_date",
            field=models.DateField(
                blank=True, help_text="The date the copied list price took effect.", null=True
            ),
        ),
        migrations.AddConstraint(
            model_name="agent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("workload_price_date__isnull", True),
                    models.Q(
                        ("workload_input_usd_per_mtok__isnull", False),
                        ("workload_output_usd_per_mtok__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="agent_workload_price_complete",
            ),
        ),
        migrations.AddConstraint(
            model_name="agent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("workload_input_usd_per_mtok__gte", 0),
                    ("workload_output_usd_per_mtok__gte", 0),
                    ("workload_cached_input_usd_per_mtok__gte", 0),
                ),
                name="agent_workload_price_not_negative",
            ),
        ),
        migrations.RunPython(pin_prices, migrations.RunPython.noop),
    ]
