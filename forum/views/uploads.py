"""Attachments across form submits: files sent with a form that then fails validation are
stored anyway and offered again (hidden `pending` ids), so a librarian on a slow connection
never uploads the same photo twice."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest

from config.ids import parse_ids
from forum import services
from forum.models import Attachment
from forum.ratelimits import RateLimited
from forum.uploads import UploadRejected


@dataclass
class Uploads:
    attachments: list[Attachment] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [a.pk for a in self.attachments]


def ids_from(values: list[str]) -> set[int]:
    return set(parse_ids(values))


def take_uploads(request: HttpRequest, files: list) -> Uploads:
    """The member's pending uploads still wanted, plus the files of this submit."""
    wanted = ids_from(request.POST.getlist("pending")) - ids_from(
        request.POST.getlist("remove_pending")
    )
    uploads = Uploads(
        list(Attachment.objects.filter(pk__in=wanted, uploader=request.user, post=None))
        if wanted
        else []
    )
    for file in files:
        try:
            uploads.attachments.append(services.attachment_upload(uploader=request.user, file=file))
        except (UploadRejected, RateLimited) as error:
            uploads.errors.append(f"{file.name}: {error}")
    return uploads
