from django.db import migrations, models


class Migration(migrations.Migration):
    """The consultant's full name for the reports' "Prepared by" line."""

    dependencies = [
        ("consultants", "0002_logo_rendering"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultantprofile",
            name="full_name",
            field=models.CharField(blank=True, max_length=120),
        ),
    ]
