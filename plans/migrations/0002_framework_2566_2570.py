from django.db import migrations

DIMENSIONS = [
    (1, "การสร้างวัฒนธรรมสุจริต"),
    (2, "การบริหารราชการด้วยความโปร่งใส"),
    (3, "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน"),
    (4, "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น"),
]


def create(apps, schema_editor):
    Framework = apps.get_model("plans", "Framework")
    Dimension = apps.get_model("plans", "Dimension")
    framework, _ = Framework.objects.get_or_create(
        code="2566-2570",
        defaults={
            "name": "แนวทางการจัดทำแผนปฏิบัติการป้องกันการทุจริตขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2566-2570",
            "first_year": 2566,
            "last_year": 2570,
        },
    )
    for number, name in DIMENSIONS:
        Dimension.objects.get_or_create(framework=framework, number=number, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("plans", "Framework").objects.filter(code="2566-2570", plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
