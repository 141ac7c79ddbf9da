"""Alerts and the reports behind them, as privacy sees them (declared, not yet purged)."""

from __future__ import annotations

from aid.privacy import registry

for _table in ("alert_reports", "alerts", "alert_bodies"):
    registry.not_covered(_table, registry.PURGE,
                         "no retention period for alerts and reports yet: kept as the "
                         "network's record of what was verified and sent, until a wipe")
    registry.not_covered(_table, registry.OWN_DATA,
                         "written by staff about events, not about themselves; the links to "
                         "the author are cleared when the account goes (ON DELETE SET NULL)")
    registry.not_covered(_table, registry.AREA_WIPE,
                         "an alert may cover several areas: not wiped by area yet; the full "
                         "wipe empties it")
