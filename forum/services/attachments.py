"""Files attached to posts: taken in, made safe (forum.uploads), and cleaned up when the post
they were uploaded for is never submitted."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum import permissions, ratelimits
from forum.models import Attachment
from forum.uploads import process_upload

ORPHAN_AGE = timedelta(hours=24)


@transaction.atomic
def attachment_upload(*, uploader: User, file) -> Attachment:
    """Check and store one uploaded file, not yet attached to a post. Raises
    forum.uploads.UploadRejected (a translated message) for a file Serambi does not take."""
    permissions.check_can_upload(user=uploader)
    ratelimits.hit(user=uploader, action="upload")
    processed = process_upload(file, name=getattr(file, "name", None))
    attachment = Attachment(
        uploader=uploader,
        kind=processed.kind,
        filename=processed.filename,
        extension=processed.extension,
        content_type=processed.content_type,
        size=processed.size,
        width=processed.width,
        height=processed.height,
    )
    attachment.file.save(processed.filename, ContentFile(processed.content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no row, no file
        raise
    return attachment


def attachments_remove_orphans(*, older_than: timedelta = ORPHAN_AGE) -> int:
    """Delete uploads that no post took within `older_than` (a form never submitted)."""
    orphans = Attachment.objects.filter(post=None, created_at__lt=timezone.now() - older_than)
    removed = 0
    for attachment in orphans.iterator():
        attachment.file.delete(save=False)
        attachment.delete()
        removed += 1
    return removed
