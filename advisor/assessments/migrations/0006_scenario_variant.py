import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_report_title"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScenarioVariant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60)),
                ("overrides", models.JSONField(default=dict)),
                ("outcome", models.JSONField(blank=True, editable=False, null=True)),
                ("problem", models.CharField(blank=True, editable=False, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="variants",
                        to="assessments.assessment",
                    ),
                ),
            ],
            options={"ordering": ["created_at", "pk"]},
        ),
    ]
