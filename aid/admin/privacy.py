"""The network's name heads every own-data download."""

from __future__ import annotations

from typing import Any

from aid.network.service import current_settings
from aid.privacy import registry


@registry.on_export(registry.ACCOUNT, tables=())
@registry.on_export(registry.SUBSCRIBER, tables=())
def network_name(_person: Any) -> dict[str, Any]:
    return {"network": current_settings().network_name}
