"""The accounts app takes over disclosure's SubjectLink, AgentLetter (and their histories), QueryLogEntry and
QueryLogHead (issue 16) — in Django's state only. The tables keep their ``disclosure_*`` names (``Meta.db_table``),
so no row moves and the query log's append-only trigger (disclosure 0002) stays on its table; disclosure 0008 removes
the models from disclosure's state."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('disclosure', '0007_severe_list_removal_date'),
        ('records', '0006_explicit_window_facts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='QueryLogEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.BigIntegerField(unique=True, verbose_name='序号')),
                        ('at', models.DateTimeField(verbose_name='时间')),
                        ('actor_kind', models.CharField(max_length=16, verbose_name='查询方类型')),
                        ('actor_id', models.BigIntegerField(null=True, verbose_name='查询账号')),
                        ('actor_label', models.CharField(max_length=200, verbose_name='查询方')),
                        ('department_code', models.CharField(blank=True, max_length=32, verbose_name='查询部门')),
                        ('subject_id', models.BigIntegerField(db_index=True, verbose_name='被查询主体')),
                        ('subject_code', models.CharField(help_text='自然人为脱敏形式', max_length=64, verbose_name='被查询主体代码')),
                        ('subject_code_hash', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='主体代码密钥摘要')),
                        ('action', models.CharField(choices=[('own_record', '本人查询'), ('authorised', '授权查询'), ('government', '政务查询'), ('report', '公共信用信息报告'), ('special_report', '专项信用报告')], max_length=16, verbose_name='查询类型')),
                        ('scope', models.JSONField(verbose_name='查询范围')),
                        ('purpose', models.CharField(blank=True, max_length=64, verbose_name='查询用途')),
                        ('purpose_label', models.CharField(blank=True, max_length=300, verbose_name='用途说明')),
                        ('channel', models.CharField(choices=[('portal', '门户网站'), ('api', '接口'), ('admin', '管理后台'), ('report', '信用报告')], max_length=12, verbose_name='渠道')),
                        ('reference', models.CharField(blank=True, help_text='授权编号或报告编号', max_length=64, verbose_name='关联编号')),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64)),
                    ],
                    options={
                        'verbose_name': '查询日志',
                        'verbose_name_plural': '查询日志',
                        'db_table': 'disclosure_querylogentry',
                        'ordering': ['seq'],
                        'default_permissions': ('view',),
                    },
                ),
                migrations.CreateModel(
                    name='QueryLogHead',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                        ('seq', models.BigIntegerField(default=0)),
                        ('hash', models.CharField(default='', max_length=64)),
                        ('rechained', models.JSONField(blank=True, default=list, verbose_name='重新计算记录')),
                    ],
                    options={
                        'verbose_name': '查询日志链头',
                        'verbose_name_plural': '查询日志链头',
                        'db_table': 'disclosure_queryloghead',
                        'default_permissions': ('view',),
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSubjectLink',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code_type', models.CharField(max_length=24, verbose_name='证件类型')),
                        ('code', models.CharField(max_length=64, verbose_name='证件号码（脱敏）/统一社会信用代码')),
                        ('code_hash', models.CharField(default='', editable=False, max_length=64, verbose_name='证件号码密钥摘要')),
                        ('name', models.CharField(max_length=200, verbose_name='名称/姓名')),
                        ('role', models.CharField(choices=[('self', '本人'), ('agent', '企业经办人')], max_length=12, verbose_name='身份')),
                        ('verified_by', models.CharField(max_length=64, verbose_name='核验方式')),
                        ('verified_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='核验时间')),
                        ('evidence', models.CharField(blank=True, max_length=200, verbose_name='核验凭证')),
                        ('expires_on', models.DateField(blank=True, help_text='经审核的授权书绑定的经办人：授权书有效期届满后自动失效（含当日）', null=True, verbose_name='有效期至')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='解除时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subject', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='records.subject', verbose_name='信用主体')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
                    ],
                    options={
                        'verbose_name': 'historical 实名认证关联',
                        'verbose_name_plural': 'historical 实名认证关联',
                        'db_table': 'disclosure_historicalsubjectlink',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SubjectLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code_type', models.CharField(max_length=24, verbose_name='证件类型')),
                        ('code', models.CharField(max_length=64, verbose_name='证件号码（脱敏）/统一社会信用代码')),
                        ('code_hash', models.CharField(default='', editable=False, max_length=64, verbose_name='证件号码密钥摘要')),
                        ('name', models.CharField(max_length=200, verbose_name='名称/姓名')),
                        ('role', models.CharField(choices=[('self', '本人'), ('agent', '企业经办人')], max_length=12, verbose_name='身份')),
                        ('verified_by', models.CharField(max_length=64, verbose_name='核验方式')),
                        ('verified_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='核验时间')),
                        ('evidence', models.CharField(blank=True, max_length=200, verbose_name='核验凭证')),
                        ('expires_on', models.DateField(blank=True, help_text='经审核的授权书绑定的经办人：授权书有效期届满后自动失效（含当日）', null=True, verbose_name='有效期至')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='解除时间')),
                        ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='records.subject', verbose_name='信用主体')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subject_links', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
                    ],
                    options={
                        'verbose_name': '实名认证关联',
                        'verbose_name_plural': '实名认证关联',
                        'db_table': 'disclosure_subjectlink',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAgentLetter',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('agent_name', models.CharField(max_length=100, verbose_name='经办人姓名')),
                        ('agent_code', models.CharField(max_length=64, verbose_name='经办人证件号码（脱敏）')),
                        ('letter', models.TextField(max_length=100, verbose_name='授权书')),
                        ('letter_sha256', models.CharField(max_length=64, verbose_name='授权书摘要')),
                        ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间')),
                        ('status', models.CharField(choices=[('pending', '待审核'), ('approved', '已批准'), ('rejected', '未通过'), ('revoked', '已撤销')], default='pending', max_length=12, verbose_name='状态')),
                        ('valid_until', models.DateField(blank=True, help_text='含当日；批准时填写', null=True, verbose_name='授权有效期至')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='审核意见')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='records.subject', verbose_name='单位')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人账号')),
                        ('link', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.subjectlink', verbose_name='绑定关系')),
                    ],
                    options={
                        'verbose_name': 'historical 经办人授权书',
                        'verbose_name_plural': 'historical 经办人授权书',
                        'db_table': 'disclosure_historicalagentletter',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='AgentLetter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('agent_name', models.CharField(max_length=100, verbose_name='经办人姓名')),
                        ('agent_code', models.CharField(max_length=64, verbose_name='经办人证件号码（脱敏）')),
                        ('letter', models.FileField(upload_to='agent-letters/%Y/%m/', verbose_name='授权书')),
                        ('letter_sha256', models.CharField(max_length=64, verbose_name='授权书摘要')),
                        ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间')),
                        ('status', models.CharField(choices=[('pending', '待审核'), ('approved', '已批准'), ('rejected', '未通过'), ('revoked', '已撤销')], default='pending', max_length=12, verbose_name='状态')),
                        ('valid_until', models.DateField(blank=True, help_text='含当日；批准时填写', null=True, verbose_name='授权有效期至')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='审核意见')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.subject', verbose_name='单位')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agent_letters', to=settings.AUTH_USER_MODEL, verbose_name='经办人账号')),
                        ('link', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.subjectlink', verbose_name='绑定关系')),
                    ],
                    options={
                        'verbose_name': '经办人授权书',
                        'verbose_name_plural': '经办人授权书',
                        'db_table': 'disclosure_agentletter',
                        'ordering': ['-submitted_at'],
                    },
                ),
                migrations.AddIndex(
                    model_name='subjectlink',
                    index=models.Index(fields=['code_hash'], name='disc_link_code_hash_idx'),
                ),
                migrations.AddConstraint(
                    model_name='subjectlink',
                    constraint=models.UniqueConstraint(fields=('user', 'code_type', 'code_hash'), name='disc_link_unique_hash'),
                ),
                migrations.AddConstraint(
                    model_name='subjectlink',
                    constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True), ('role', 'self')), fields=('code_type', 'code_hash'), name='disc_one_self_account_hash'),
                ),
                migrations.AddIndex(
                    model_name='agentletter',
                    index=models.Index(fields=['status', 'submitted_at'], name='disc_letter_status_idx'),
                ),
            ],
        ),
    ]
