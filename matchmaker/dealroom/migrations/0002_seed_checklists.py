"""The checklists financiers ask from, per kind, in both languages (the office edits them
in the admin afterwards)."""

from django.db import migrations

ITEMS = [
    ("bank", "Audited financial statements (last three years)", "近三年经审计的财务报表"),
    ("bank", "Tax and credit-report authorisation", "纳税信息及征信查询授权书"),
    ("bank", "Collateral ownership papers", "担保物权属证明文件"),
    ("insurer", "Launch manifest", "发射任务清单"),
    ("insurer", "Launch vehicle flight history", "运载火箭飞行记录"),
    ("insurer", "Qualification test reports", "鉴定试验报告"),
    ("fund", "Capitalisation table", "股权结构表"),
    ("fund", "Business plan", "商业计划书"),
    ("fund", "Technical due diligence pack", "技术尽职调查材料"),
]


def seed(apps, schema_editor):
    ChecklistItem = apps.get_model("dealroom", "ChecklistItem")
    for position, (kind, english, chinese) in enumerate(ITEMS):
        ChecklistItem.objects.get_or_create(
            kind=kind, title_en=english, defaults={"title_zh": chinese, "position": position}
        )


def unseed(apps, schema_editor):
    ChecklistItem = apps.get_model("dealroom", "ChecklistItem")
    ChecklistItem.objects.filter(title_en__in=[english for _k, english, _z in ITEMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dealroom", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
