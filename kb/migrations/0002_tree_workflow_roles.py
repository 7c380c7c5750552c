"""The knowledge base's place in Wagtail: its page tree (in place of Wagtail's welcome page),
the review workflow (one approval by the Editors group), and the Editors' permissions.

Written with historical models: pages are rows of a materialised-path tree (treebeard, 4
characters a level), so paths, depths and child counts are set here by hand, as Wagtail's own
first migration does."""

import uuid

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

HOME = ("Basis Pengetahuan", "kb")
ARTICLES = ("Praktik Baik", "praktik-baik")
REPORTS = ("Laporan Magang", "laporan-magang")


def _permissions(apps):
    for label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "forum", "kb"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _page(apps, model, *, title, slug, path, depth, numchild, url_path, locale, **fields):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="kb", model=model.lower())
    now = timezone.now()
    return apps.get_model("kb", model).objects.create(
        title=title, draft_title=title, slug=slug, content_type=content_type, path=path,
        depth=depth, numchild=numchild, url_path=url_path, locale=locale, live=True,
        first_published_at=now, last_published_at=now, translation_key=uuid.uuid4(), **fields,
    )


def build(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="id")

    top = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True).first()
    path = root.path + (_next_step(top[-4:]) if top else "0001")
    home = _page(
        apps, "KnowledgeBaseHome", title=HOME[0], slug=HOME[1], path=path, depth=2, numchild=2,
        url_path=f"/{HOME[1]}/", locale=locale,
        intro="Pelajaran dari magang pustakawan dan praktik baik yang sudah teruji, ditulis "
        "oleh pustakawan dan ditinjau editor.",
    )
    _page(
        apps, "ArticleIndexPage", title=ARTICLES[0], slug=ARTICLES[1], path=path + "0001",
        depth=3, numchild=0, url_path=f"/{HOME[1]}/{ARTICLES[1]}/", locale=locale,
        intro="Artikel praktik baik, dikelompokkan menurut bidang kompetensi.",
    )
    _page(
        apps, "ReportIndexPage", title=REPORTS[0], slug=REPORTS[1], path=path + "0002",
        depth=3, numchild=0, url_path=f"/{HOME[1]}/{REPORTS[1]}/", locale=locale,
        intro="Laporan magang pustakawan di perpustakaan lain: apa yang dilihat, dan rencana "
        "menerapkannya di perpustakaan sendiri.",
    )

    # Serve the knowledge base as the site; Wagtail's untouched welcome page goes.
    site = Site.objects.filter(is_default_site=True).first()
    welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
    if site:
        site.root_page_id = home.pk
        site.site_name = "Serambi"
        site.save()
    else:
        Site.objects.create(hostname="localhost", root_page_id=home.pk, is_default_site=True,
                            site_name="Serambi")
    if welcome and not Site.objects.filter(root_page_id=welcome.pk).exists():
        welcome.delete()
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])

    _forget_wagtails_defaults(apps)
    _workflow(apps, home)
    _editor_permissions(apps, home)


def _forget_wagtails_defaults(apps):
    """Wagtail's first migrations give groups named Moderators and Editors (ours share the
    names) admin access and page rights on the whole tree, and put every page under a
    "Moderators approval" workflow. In Serambi, forum moderators have no business in the
    admin, and editors' rights start at the knowledge base."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        GroupPagePermission.objects.filter(group=moderators).delete()
        GroupCollectionPermission.objects.filter(group=moderators).delete()
        moderators.permissions.remove(
            *moderators.permissions.filter(content_type__app_label="wagtailadmin")
        )
    GroupPagePermission.objects.filter(group__name="Editors", page__depth=1).delete()
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        Task.objects.filter(workflow_tasks__workflow=workflow).delete()
        workflow.delete()


def _next_step(step: str) -> str:
    # treebeard's steps are base-36 numbers, zero-padded to 4 characters.
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    number = int(step, 36) + 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits.rjust(4, "0")


def _workflow(apps, home):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Tinjauan editor", content_type=task_type, active=True
    )
    task.groups.add(Group.objects.get(name="Editors"))
    workflow = Workflow.objects.create(name="Tinjauan basis pengetahuan", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page_id=home.pk)


def _editor_permissions(apps, home):
    _permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    editors = Group.objects.get(name="Editors")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    editors.permissions.add(
        permission("wagtailadmin", "access_admin"),
        permission("forum", "view_category"),
        permission("forum", "change_category"),
    )
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=home.pk, permission=permission("wagtailcore", codename)
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection,
                permission=permission(app_label, f"{action}_{model}"),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("accounts", "0002_roles"),
        ("forum", "0003_knowledge_base_links"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
