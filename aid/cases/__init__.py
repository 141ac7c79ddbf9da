from typing import Any

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.cases.milestones import register
from aid.cases.service import cases_from, leave_every_team
from aid.volunteers.service import on_access_cut

bp = Blueprint("cases", __name__)


@bp.record_once
def _hook_in(_state: BlueprintSetupState) -> None:
    # Once per app: the family's YES/NO answers, and suspended volunteers leaving teams.
    register()
    on_access_cut(leave_every_team)


@bp.app_context_processor
def _case_links() -> dict[str, Any]:
    """`cases_from(kind, id)` for the pages a case can be opened from (a request, an alert
    report, a shift's after-action report), so they link without importing this feature."""
    return {"cases_from": cases_from}


from aid.cases import legal_views, privacy, tasks, views  # noqa: E402,F401
