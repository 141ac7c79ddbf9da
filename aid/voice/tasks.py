"""Background work of the voice hotline: fetch a voicemail's audio (then delete Twilio's
copy), place a masked callback, and a periodic sweep for what a lost callback left behind."""

from __future__ import annotations

from huey import crontab

from aid.tasks import periodic, task
from aid.voice import callbacks, service


@task()
def fetch_recording(voicemail_id: int) -> None:
    service.store_recording(voicemail_id)


@task()
def place_callback(call_id: int) -> None:
    callbacks.place(call_id)


@periodic(crontab(minute="*/5"))
def sweep() -> None:
    """Recordings not yet fetched or not yet deleted at Twilio are tried again; calls whose
    end Twilio never reported are ended (a missed call still leaves a request)."""
    for voicemail_id in service.recordings_to_retry():
        service.store_recording(voicemail_id)
    for call_id in service.stale_calls():
        service.call_ended(service.find_call(call_id), None)

