"""Rate-limit counters get a table of their own, counted with one INSERT ... ON CONFLICT statement
per attempt, instead of the shared database cache (about six statements per counter). The cache's
table, made by 0001, goes; its counters were for windows of at most a day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("throttling", "0001_cache_table")]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("key", models.CharField(max_length=128, primary_key=True, serialize=False, verbose_name="key")),
                ("ends_at", models.BigIntegerField(db_index=True, verbose_name="window ends (Unix time)")),
                ("count", models.PositiveIntegerField(verbose_name="attempts")),
            ],
            options={"verbose_name": "rate-limit counter", "verbose_name_plural": "rate-limit counters"},
        ),
        migrations.RunSQL("DROP TABLE IF EXISTS zelfscan_shared_cache", migrations.RunSQL.noop),
    ]
