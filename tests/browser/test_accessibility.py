import time
from tests.browser.conftest import axe_violations
from headway.demo.data import DEMO_PASSWORD


def test_probe(page, demo, signed_in, live_server):
    t = time.perf_counter()
    signed_in("pmo@demo.headway.test", DEMO_PASSWORD)
    print("signin", time.perf_counter() - t)
    for path in ["/", "/initiatives/", "/decisions/", "/risks/"]:
        t = time.perf_counter()
        page.goto(live_server.url + path)
        t1 = time.perf_counter()
        page.goto(live_server.url + path, wait_until="domcontentloaded")
        t2 = time.perf_counter()
        v = axe_violations(page)
        print(path, t1 - t, t2 - t1, time.perf_counter() - t2)
