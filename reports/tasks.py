from celery import shared_task

from reports import services


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def generate_annual_report(report_id: int) -> None:
    try:
        services.annual_report_generate(report_id=report_id)
    except Exception:  # noqa: BLE001 - the failure is recorded on the report for the secretariat to retry
        return
