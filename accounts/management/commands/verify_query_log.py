"""Verify the query log's hash chain; exits 1 at the first altered, inserted or deleted entry."""

import sys

from django.core.management.base import BaseCommand

from accounts.querylog import verify_chain


class Command(BaseCommand):
    help = "校验查询日志哈希链 / verify the query log hash chain (exit 1 if tampered)."

    def handle(self, *args, **options):
        checked, problem = verify_chain()
        if problem is None:
            self.stdout.write(f"查询日志完整：已校验 {checked} 条 / query log intact: {checked} entries verified")
            return
        self.stderr.write(f"查询日志校验失败 / query log verification FAILED: {problem.kind} at seq {problem.seq}: {problem.message}")
        sys.exit(1)
