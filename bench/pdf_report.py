"""Figure f: the PDF of the personal report: time (median of 5) and peak memory of the process.

    DATABASE_URL=... .venv/bin/python bench/pdf_report.py [--repeat 5]

The viewer and comparisons are those of bench/report_page.py (the largest municipality and the next
two). Timed in this process: reports.pdf.render_report_pdf(context, language) with the context the
web page uses (reports.views.report_context), the first call apart (WeasyPrint loads fonts and
styles), then --repeat calls; and the whole download view GET /scan/<id>/report/pdf/ through the test
client. Peak memory: the process's maximum resident set size (getrusage ru_maxrss) before the first
PDF and after the last. Target: median < 1.5 s.
"""

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import backend_label, collect_static, header, ms, setup_django, summary, timed, verdict  # noqa: E402

TARGET = 1.5


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    collect_static()
    header(f"PDF report, in-process on {backend_label()}")
    try:
        from reports import pdf
    except ImportError as exc:
        print(f"   reports.pdf is not there yet ({exc}): nothing to time")
        return
    if not hasattr(pdf, "render_report_pdf"):
        print("   reports.pdf has no render_report_pdf yet: nothing to time")
        return
    from bench.report_page import client_for, viewer_and_comparisons
    from reports import views

    build = getattr(views, "report_context", None) or views._report_context
    viewer, own, others = viewer_and_comparisons()
    names = ", ".join(m.common_name for m in others)
    print(f"   viewer in {own.common_name}, compared with {names}; language {viewer.language}")
    context = build(viewer)
    before = peak_rss_mb()
    start = time.perf_counter()
    first = pdf.render_report_pdf(context, viewer.language)
    cold = time.perf_counter() - start
    durations = timed(lambda: pdf.render_report_pdf(build(viewer), viewer.language), args.repeat)
    after = peak_rss_mb()
    pages = "?"
    try:
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(first)).pages)
    except ImportError:
        pass
    print(f"   first PDF (fonts and styles loaded): {ms(cold)}; {len(first):,} bytes, {pages} pages")
    print(f"   render_report_pdf incl. the report context: {summary(durations)}")
    print(
        f"   peak RSS of the process: {before:.0f} MB before the first PDF, {after:.0f} MB after {args.repeat + 1} PDFs"
    )

    client = client_for(viewer)
    url = f"/scan/{viewer.public_id}/report/pdf/"
    view_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        download = client.get(url)
        view_times.append(time.perf_counter() - start)
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf", download.status_code
    print(f"   GET {url.replace(str(viewer.public_id), '<id>')} (whole view, test client): {summary(view_times)}")
    print(f"   peak RSS after the downloads: {peak_rss_mb():.0f} MB")
    median = statistics.median(durations)
    print(f"   target median < 1.5 s: {verdict(median < TARGET)} ({ms(median)})")


if __name__ == "__main__":
    main()
