from programme.views.insight import (
    chart_view,
    insight_csv_view,
    insight_view,
    record_view,
    unsubscribe_view,
)

__all__ = ["chart_view", "insight_csv_view", "insight_view", "record_view", "unsubscribe_view"]
