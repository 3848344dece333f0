"""Signals the disclosure app sends to the apps above it (the floors: news travels upward only by signal).

``report_assessments`` — sent while a standard credit report is built, with ``subject`` and ``day``. A receiver returns
a list of rows for the report's 信用评价 section, each a dict with ``item``, ``summary``, ``decided_on`` and
``source`` (the keys of ``disclosure.reports.record_row`` that the section prints). The sanctions app answers with the
subject's 公共信用综合评价, so the report says what ``/lists/mine/`` says.
"""

from django.dispatch import Signal

report_assessments = Signal()
