"""The idempotency key is at most 184 bytes (core hashes a longer one): a 200-byte column."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="payment",
            name="idempotency_key",
            field=models.CharField(max_length=200, unique=True),
        ),
    ]
