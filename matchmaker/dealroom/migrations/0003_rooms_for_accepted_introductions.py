"""A room for every introduction accepted before rooms existed. Under the old rule an
accepted introduction opened all of the project's documents to the institution, so each
room shows the documents the firm had then (the firm can withdraw any of them)."""

from django.db import migrations


def open_rooms(apps, schema_editor):
    Introduction = apps.get_model("matchmaker", "Introduction")
    DealRoom = apps.get_model("dealroom", "DealRoom")
    SharedDocument = apps.get_model("dealroom", "SharedDocument")
    RoomEvent = apps.get_model("dealroom", "RoomEvent")
    Document = apps.get_model("projects", "Document")
    accepted = Introduction.objects.filter(state="accepted", room__isnull=True)
    for introduction in accepted.select_related("match"):
        room = DealRoom.objects.create(introduction=introduction)
        RoomEvent.objects.create(room=room, kind="opened", user_id=introduction.answered_by_id)
        for document in Document.objects.filter(project_id=introduction.match.project_id):
            SharedDocument.objects.create(
                room=room, document=document, shared_by_id=introduction.answered_by_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dealroom", "0002_seed_checklists"),
        ("matchmaker", "0017_scoring_chunk_kind"),
        ("projects", "0004_status_and_sweet_spots"),
    ]
    operations = [migrations.RunPython(open_rooms, migrations.RunPython.noop)]
