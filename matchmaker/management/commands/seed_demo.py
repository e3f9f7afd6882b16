from django.core.management.base import BaseCommand

from matchmaker.devtools.demo import DEMO_PASSWORD, seed_demo
from matchmaker.matching.encoding import matchable_projects
from matchmaker.matching.scoring import full_rescore_inline
from matchmaker.matching.stacks import rebuild_packages


class Command(BaseCommand):
    help = "Load fictional demo firms, projects, institutions, offerings and users (idempotent)."

    def handle(self, *args, **options):
        report = seed_demo()
        self.stdout.write(
            f"Demo data: {report.firms} firms, {report.projects} projects, "
            f"{report.institutions} institutions, {report.offerings} offerings."
        )
        self.stdout.write(f"Scored every pair: {full_rescore_inline()} matches.")
        packages = sum(
            rebuild_packages(pk) for pk in matchable_projects().values_list("pk", flat=True)
        )
        self.stdout.write(f"Suggested {packages} financing packages.")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, role in report.logins:
            self.stdout.write(f"  {username:<10} {role}")
