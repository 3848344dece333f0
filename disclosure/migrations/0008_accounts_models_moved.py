"""SubjectLink, AgentLetter (and their histories), QueryLogEntry and QueryLogHead now belong to the accounts app
(issue 16, accounts 0001): they leave disclosure's state only. Their tables, rows, indexes and the query log's trigger
stay exactly as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0007_severe_list_removal_date'),
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='agentletter',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='agentletter',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='agentletter',
                    name='link',
                ),
                migrations.RemoveField(
                    model_name='agentletter',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='historicalagentletter',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='historicalagentletter',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='historicalagentletter',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalagentletter',
                    name='link',
                ),
                migrations.RemoveField(
                    model_name='historicalagentletter',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='historicalsubjectlink',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalsubjectlink',
                    name='subject',
                ),
                migrations.RemoveField(
                    model_name='historicalsubjectlink',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='QueryLogEntry',
                ),
                migrations.DeleteModel(
                    name='QueryLogHead',
                ),
                migrations.RemoveField(
                    model_name='subjectlink',
                    name='subject',
                ),
                migrations.RemoveField(
                    model_name='subjectlink',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='AgentLetter',
                ),
                migrations.DeleteModel(
                    name='HistoricalAgentLetter',
                ),
                migrations.DeleteModel(
                    name='HistoricalSubjectLink',
                ),
                migrations.DeleteModel(
                    name='SubjectLink',
                ),
            ],
        ),
    ]
