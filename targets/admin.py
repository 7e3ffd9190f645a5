from django.contrib import admin

from common import signing
from common.admin import ModelAdmin

from .models import (
    AgentEconomics,
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceChangeRequest,
    FinanceInvite,
    FinanceSignOff,
    NoComparableEvidence,
    ValueTarget,
)


@admin.register(BenchmarkEvidence)
class BenchmarkEvidenceAdmin(ModelAdmin):
    list_display = ["description", "kind", "improvement_percent", "discount_percent", "kpi"]
    list_filter = ["kind"]
    raw_id_fields = ["kpi"]


@admin.register(NoComparableEvidence)
class NoComparableEvidenceAdmin(ModelAdmin):
    list_display = ["kpi", "reason", "updated_at"]
    raw_id_fields = ["kpi"]


@admin.register(ConstraintAnalysis)
class ConstraintAnalysisAdmin(ModelAdmin):
    list_display = ["kpi", "adoption_6m_percent", "adoption_12m_percent", "updated_at"]
    raw_id_fields = ["kpi"]


@admin.register(ValueTarget)
class ValueTargetAdmin(ModelAdmin):
    list_display = ["kpi", "floor_12m", "target_12m", "stretch_12m", "updated_at"]
    raw_id_fields = ["kpi"]


@admin.register(AgentEconomics)
class AgentEconomicsAdmin(ModelAdmin):
    list_display = ["agent", "value_kpi", "value_per_unit", "build_cost", "updated_at"]
    raw_id_fields = ["agent", "value_kpi"]


@admin.register(FinanceInvite)
class FinanceInviteAdmin(ModelAdmin):
    list_display = ["name", "title", "workshop", "expires_at", "used_at", "revoked_at"]
    # The token's hash is of no use to anyone reading the admin.
    exclude = ["token_hash"]
    readonly_fields = ["used_at"]


@admin.register(FinanceChangeRequest)
class FinanceChangeRequestAdmin(ModelAdmin):
    list_display = ["agent", "reviewer_name", "created_at", "resolved_at"]
    raw_id_fields = ["agent"]


@admin.register(FinanceSignOff)
class FinanceSignOffAdmin(ModelAdmin):
    list_display = ["agent", "signer_name", "signer_title", "signed_at", "status", "verification"]
    list_filter = ["status", "verification"]
    # The changelist shows the key this server signs with, to give to other servers.
    change_list_template = "admin/targets/financesignoff/change_list.html"
    # A sign-off is evidence: read-only here; reopening goes through the facilitator's page.
    readonly_fields = [
        "agent",
        "signer_name",
        "signer_title",
        "signer_user",
        "invite",
        "signed_at",
        "values_sha256",
        "signed_values",
        "status",
        "void_reason",
        "voided_at",
        "voided_by",
        "verification",
        "public_key",
        "key_fingerprint",
        "signature",
        "signed_message",
    ]

    @admin.display(description="fingerprint of the signer's key")
    def key_fingerprint(self, signoff):
        return signing.fingerprint(signoff.public_key) if signoff.public_key else "—"

    def changelist_view(self, request, extra_context=None):
        public_key = signing.server_public_key()
        extra_context = {
            **(extra_context or {}),
            "server_public_key": public_key,
            "server_key_fingerprint": signing.fingerprint(public_key),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # History is append-only: a sign-off is voided by reopening the agent, never deleted.
        return False
