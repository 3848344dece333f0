"""Print the pseudonym under which the login lockout log (django-axes) keeps a client address."""

import ipaddress

from django.core.management.base import BaseCommand, CommandError

from credit_platform.privacy import address_pseudonym
from credit_platform.ratelimits import client_ip


class Command(BaseCommand):
    help = "显示客户端地址在登录锁定日志中的化名 / show the pseudonym the lockout log keeps for an address."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="+", help="IPv4 或 IPv6 地址 / IPv4 or IPv6 address")

    def handle(self, *args, **options):
        for raw in options["address"]:
            try:
                ipaddress.ip_address(raw)
            except ValueError:
                raise CommandError(f"不是有效的 IP 地址 / not an IP address: {raw!r}") from None
            # The same reduction the platform applies (IPv6 to its /64) before taking the pseudonym.
            request = type("Request", (), {"META": {"REMOTE_ADDR": raw}})()
            self.stdout.write(f"{raw}\t{address_pseudonym(client_ip(request))}")
