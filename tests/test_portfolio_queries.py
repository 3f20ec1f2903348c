"""The portfolio's read queries: right answers, and a query count that does not grow with the portfolio."""

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import SafeString

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.assurance.glance import glance
from headway.assurance.initiatives import impact
from headway.lib.weeks import week_start
from headway.metrics.verdicts import VerdictFigures
from headway.portfolio import actions as portfolio_actions
from headway.portfolio import queries
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status, StrategicGoal
from tests.clock import TODAY

THIS_WEEK = week_start(TODAY)


def grow_portfolio(organisation, lead, goal, start, count):
    """`count` more active initiatives, each with four weeks of checkpoints, a decision and a risk."""
    initiatives = Initiative.objects.bulk_create(
        [
            Initiative(
                organisation=organisation,
                reference=f"BULK-{n:04d}",
                title=f"Bulk initiative {n}",
                problem="Generated",
                status=Status.ACTIVE,
                delivery_lead=lead,
                sro=lead,
                start_date=TODAY - dt.timedelta(days=100),
                planned_go_live=TODAY + dt.timedelta(days=n),
            )
            for n in range(start, start + count)
        ]
    )
    Initiative.goals.through.objects.bulk_create(
        [Initiative.goals.through(initiative_id=i.pk, strategicgoal_id=goal.pk) for i in initiatives]
    )
    ratings = ["green", "amber", "red"]
    Checkpoint.objects.bulk_create(
        [
            Checkpoint(
                initiative=i,
                week_start=THIS_WEEK - dt.timedelta(weeks=w),
                confidence=ratings[(i.pk + w) % 3],
                confidence_reason="Generated",
            )
            for i in initiatives
            for w in range(1, 5)
        ]
    )
    Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).refresh_checkpoint_summaries()
    Decision.objects.bulk_create(
        [
            Decision(
                initiative=i,
                kind="start",
                rationale="Generated",
                evidence="Generated",
                decided_by="Board",
                decided_on=TODAY - dt.timedelta(days=100),
                status_before="proposed",
                status_after="active",
            )
            for i in initiatives
        ]
    )
    Risk.objects.bulk_create(
        [
            Risk(
                organisation=organisation,
                initiative=i,
                title="Generated",
                likelihood=3,
                consequence=4,
                owner=lead,
                next_review=TODAY - dt.timedelta(days=i.pk % 3),
            )
            for i in initiatives
        ]
    )


class QueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = Organisation.objects.create(name="Scale Trust", ods_code="SCL", kind="acute")
        cls.viewer = User.objects.create_user("viewer@example.nhs.uk", "a-long-test-password", full_name="Val View")
        Membership.objects.create(user=cls.viewer, organisation=cls.trust, role=Role.VIEWER)
        cls.goal = StrategicGoal.objects.create(organisation=cls.trust, title="Goal")
        grow_portfolio(cls.trust, cls.viewer, cls.goal, 0, 10)

    def count_queries(self, url, params=None):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def assert_same_count_at_500(self, url, params=None):
        self.client.force_login(self.viewer)
        at_ten = self.count_queries(url, params)
        grow_portfolio(self.trust, self.viewer, self.goal, 10, 490)
        self.assertEqual(Initiative.objects.count(), 500)
        with self.assertNumQueries(at_ten):
            self.client.get(url, params or {})

    def test_the_portfolio_list_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        self.assert_same_count_at_500(reverse("portfolio:list"))

    def test_the_filtered_sorted_list_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        params = {"status": "active", "goal": self.goal.pk, "sort": "confidence", "order": "desc", "overdue": "on"}
        self.assert_same_count_at_500(reverse("portfolio:list"), params)

    def test_the_glance_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        self.assert_same_count_at_500(reverse("portfolio:glance"))

    def test_the_risk_register_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        self.assert_same_count_at_500(reverse("portfolio:risks"))

    def test_the_decision_log_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        self.assert_same_count_at_500(reverse("portfolio:decisions"))


class GlanceFactsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = Organisation.objects.create(name="Facts Trust", ods_code="FCT", kind="acute", wip_limit=2)
        cls.other = Organisation.objects.create(name="Elsewhere", ods_code="ELS", kind="acute")
        cls.lead = User.objects.create_user("lead@example.nhs.uk", "a-long-test-password", full_name="Lee Lead")
        Membership.objects.create(user=cls.lead, organisation=cls.trust, role=Role.DELIVERY_LEAD)

        def make(org, ref, status, start_days_ago=70):
            return Initiative.objects.create(
                organisation=org,
                reference=ref,
                title=ref,
                problem="p",
                status=status,
                delivery_lead=cls.lead,
                start_date=TODAY - dt.timedelta(days=start_days_ago),
            )

        cls.falling = make(cls.trust, "A-1", Status.ACTIVE)
        cls.steady = make(cls.trust, "A-2", Status.ACTIVE)
        cls.silent = make(cls.trust, "A-3", Status.ACTIVE)
        cls.new = make(cls.trust, "A-4", Status.ACTIVE, start_days_ago=0)
        make(cls.trust, "P-1", Status.PROPOSED)
        make(cls.trust, "S-1", Status.STOPPED)
        make(cls.other, "X-1", Status.ACTIVE)
        for weeks_ago, rating in ((3, "green"), (0, "red")):
            portfolio_actions.record_checkpoint(
                initiative=cls.falling,
                by=cls.lead,
                week=THIS_WEEK - dt.timedelta(weeks=weeks_ago),
                fields={"confidence": rating, "confidence_reason": "r"},
            )
        portfolio_actions.record_checkpoint(
            initiative=cls.steady,
            by=cls.lead,
            week=THIS_WEEK - dt.timedelta(weeks=1),
            fields={"confidence": "amber", "confidence_reason": "r"},
        )
        Risk.objects.create(
            organisation=cls.trust, title="Late", likelihood=5, consequence=5, next_review=TODAY - dt.timedelta(days=1)
        )
        Risk.objects.create(
            organisation=cls.trust, title="Fine", likelihood=1, consequence=2, next_review=TODAY + dt.timedelta(days=10)
        )
        Risk.objects.create(
            organisation=cls.other,
            title="Theirs",
            likelihood=5,
            consequence=5,
            next_review=TODAY - dt.timedelta(days=1),
        )

    def test_it_counts_by_status_within_the_organisation_and_flags_the_wip_limit(self):
        g = glance(self.trust, TODAY).portfolio
        counts = dict(g.by_status)
        self.assertEqual(counts, {"proposed": 1, "active": 4, "paused": 0, "stopped": 1, "completed": 0})
        self.assertTrue(g.over_wip_limit)
        self.assertEqual(g.over_by, 2)

    def test_it_lists_only_overdue_checkpoints(self):
        g = glance(self.trust, TODAY).portfolio
        self.assertEqual([i.reference for i in g.overdue], ["A-3"])

    def test_it_counts_confidence_now_from_each_initiatives_latest_checkpoint(self):
        g = glance(self.trust, TODAY).portfolio
        now = dict(g.confidence_now)
        self.assertEqual(now, {"green": 0, "amber": 1, "red": 1})
        self.assertEqual(g.no_checkpoint, 2)

    def test_it_names_the_initiatives_whose_confidence_fell(self):
        g = glance(self.trust, TODAY).portfolio
        self.assertEqual([(f.reference, f.was, f.now) for f in g.fallen], [("A-1", "green", "red")])
        self.assertEqual(len(g.confidence_by_week), 4)

    def test_a_rise_or_another_organisations_fall_is_not_named_as_fallen(self):
        rising = Initiative.objects.create(
            organisation=self.trust, reference="A-5", title="Rising", problem="p", status=Status.ACTIVE
        )
        theirs = Initiative.objects.get(organisation=self.other, reference="X-1")
        for initiative, ratings in ((rising, ("red", "green")), (theirs, ("green", "red"))):
            for weeks_ago, rating in zip((2, 0), ratings, strict=True):
                portfolio_actions.record_checkpoint(
                    initiative=initiative,
                    by=None,
                    week=THIS_WEEK - dt.timedelta(weeks=weeks_ago),
                    fields={"confidence": rating, "confidence_reason": "r"},
                )
        g = glance(self.trust, TODAY).portfolio
        self.assertEqual([(f.reference, f.since) for f in g.fallen], [("A-1", THIS_WEEK - dt.timedelta(weeks=3))])

    def test_the_page_words_the_figures(self):
        self.client.force_login(self.lead)
        html = self.client.get(reverse("portfolio:glance")).content.decode()
        fall = html.split(">A-1 A-1</a>: from", 1)[1].split("</li>", 1)[0]
        self.assertLess(fall.index("Green"), fall.index("Red"))
        for words in ("Proposed", "Discovery", "Amber", "Deteriorating", "No outcome, adoption or experience measure"):
            self.assertIn(words, html)

    def test_it_counts_open_risks_and_overdue_reviews(self):
        g = glance(self.trust, TODAY).portfolio
        self.assertEqual((g.open_risks, g.risks_review_overdue, g.extreme_risks), (2, 1, 1))

    def test_the_overdue_filter_agrees_with_the_weekly_rule(self):
        rows = queries.portfolio(self.trust, {"overdue": True}, TODAY)
        self.assertEqual([i.reference for i in rows], ["A-3"])
        states = {i.reference: queries.state_of(i, TODAY) for i in queries.portfolio(self.trust, {}, TODAY)}
        self.assertEqual(
            states, {"A-1": "up_to_date", "A-2": "due", "A-3": "overdue", "A-4": "due", "P-1": None, "S-1": None}
        )

    def test_sorting_by_confidence_puts_the_worst_first_when_ascending(self):
        rows = queries.portfolio(self.trust, {"status": "active", "sort": "confidence"}, TODAY)
        self.assertEqual([i.reference for i in rows][:2], ["A-3", "A-4"])  # no rating sorts lowest
        self.assertEqual([i.reference for i in rows][2:], ["A-1", "A-2"])  # red, then amber


# "Is it working?" (ADR 7) ----------------------------------------------------------------------


def give_verdicts(initiatives):
    """A verdict for most initiatives, cycling through the states and flags; every fifth has none."""
    from headway.metrics.models import Verdict

    states = ["improving", "no_change", "deteriorating", "not_enough_data"]
    Verdict.objects.bulk_create(
        [
            Verdict(
                initiative=i,
                state=states[n % 4],
                drivers=[{"metric": 1, "name": "Generated", "kind": "outcome", "variation_icon": "concern_low"}],
                flags=["mixed"] if n % 4 == 2 else [],
            )
            for n, i in enumerate(initiatives)
            if n % 5
        ]
    )


def add_metric(organisation, initiative, name, points=15):
    from headway.metrics.models import Annotation, Metric, Observation

    metric = Metric.objects.create(
        organisation=organisation,
        name=name,
        definition="d",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        improvement_direction="increase",
        frequency="weekly",
        data_source="s",
        target_value=60,
    )
    metric.initiatives.add(initiative)
    Observation.objects.bulk_create(
        [Observation(metric=metric, period=THIS_WEEK - dt.timedelta(weeks=w), value=50 + w % 4) for w in range(points)]
    )
    Annotation.objects.create(
        metric=metric, period=THIS_WEEK - dt.timedelta(weeks=5), text="Changed", starts_new_period=True
    )
    return metric


class IsItWorkingQueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = Organisation.objects.create(name="Working Trust", ods_code="WRK", kind="acute")
        cls.viewer = User.objects.create_user("w@example.nhs.uk", "a-long-test-password", full_name="Wendy")
        Membership.objects.create(user=cls.viewer, organisation=cls.trust, role=Role.VIEWER)
        cls.goal = StrategicGoal.objects.create(organisation=cls.trust, title="Goal")
        grow_portfolio(cls.trust, cls.viewer, cls.goal, 0, 10)
        give_verdicts(Initiative.objects.filter(organisation=cls.trust).order_by("pk"))

    def assert_same_count_at_500(self, url):
        self.client.force_login(self.viewer)
        with CaptureQueriesContext(connection) as at_ten:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        grow_portfolio(self.trust, self.viewer, self.goal, 10, 490)
        give_verdicts(
            Initiative.objects.filter(organisation=self.trust, verdict__isnull=True, reference__gte="BULK-0010")
        )
        self.assertEqual(Initiative.objects.filter(organisation=self.trust).count(), 500)
        with self.assertNumQueries(len(at_ten)):
            response = self.client.get(url)
        return response

    def test_the_list_with_verdicts_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        response = self.assert_same_count_at_500(reverse("portfolio:list"))
        self.assertContains(response, "Is it working?")
        self.assertContains(response, "app-verdict--not_measured")  # an initiative without a verdict row
        self.assertContains(response, "app-verdict--deteriorating")

    def test_the_glance_with_verdicts_issues_the_same_number_of_queries_for_10_and_500_initiatives(self):
        response = self.assert_same_count_at_500(reverse("portfolio:glance"))
        self.assertContains(response, "Active initiatives by whether they are working")

    def test_the_initiative_page_issues_the_same_number_of_queries_for_1_and_6_metrics(self):
        self.client.force_login(self.viewer)
        initiative = Initiative.objects.filter(organisation=self.trust).order_by("pk").first()
        add_metric(self.trust, initiative, "First")
        url = reverse("portfolio:detail", args=[initiative.pk])
        with CaptureQueriesContext(connection) as one:
            response = self.client.get(url)
        self.assertContains(response, "Is it working?")
        self.assertContains(response, 'role="img"')
        for n in range(5):
            add_metric(self.trust, initiative, f"More {n}", points=20 + n)
        with self.assertNumQueries(len(one)):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('role="img" aria-labelledby="xmr-'), 6)

    def test_the_board_layer_gives_an_initiatives_impact_as_figures_with_no_words_or_svg(self):
        initiative = Initiative.objects.filter(organisation=self.trust).order_by("pk").last()
        add_metric(self.trust, initiative, "Only")
        found = impact(initiative, TODAY)
        self.assertIsInstance(found.verdict, VerdictFigures)
        self.assertEqual([series.metric.name for series in found.series], ["Only"])
        self.assertEqual(found.series[0].points, 15)
        # Its summary was never refreshed, so it counts as having no data: a figure, not a sentence.
        self.assertEqual([(m.name, m.latest_period) for m in found.verdict.stale], [("Only", None)])
        for value in [*vars(found.verdict).values(), *vars(found.series[0]).values()]:
            self.assertNotIsInstance(value, SafeString)  # the charts are drawn by metrics.presenters


class GlanceVerdictFactsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        from headway.metrics.models import Metric, Verdict

        cls.trust = Organisation.objects.create(name="Verdict Facts", ods_code="VFT", kind="acute")
        lead = User.objects.create_user("v@example.nhs.uk", "a-long-test-password", full_name="Vic")

        def make(ref, status=Status.ACTIVE):
            return Initiative.objects.create(
                organisation=cls.trust,
                reference=ref,
                title=ref,
                problem="p",
                status=status,
                delivery_lead=lead,
                start_date=TODAY,
            )

        worse, better, counted, unmeasured = make("A-1"), make("A-2"), make("A-3"), make("A-4")
        stopped = make("S-1", Status.STOPPED)
        falls = {"metric": 1, "name": "Falls", "kind": "outcome", "variation_icon": "concern_high"}
        Verdict.objects.create(initiative=worse, state="deteriorating", drivers=[falls], flags=["mixed"])
        Verdict.objects.create(initiative=better, state="improving")
        Verdict.objects.create(
            initiative=counted, state="not_measured", flags=["no_outcome_or_adoption", "activity_only"]
        )
        Verdict.objects.create(initiative=stopped, state="deteriorating")
        old = Metric.objects.create(
            organisation=cls.trust,
            name="Old",
            definition="d",
            kind="outcome",
            beneficiary="patients",
            unit="%",
            improvement_direction="increase",
            frequency="monthly",
            data_source="s",
            latest_period=TODAY - dt.timedelta(days=90),
        )
        old.initiatives.add(worse, stopped)
        fresh = Metric.objects.create(
            organisation=cls.trust,
            name="Fresh",
            definition="d",
            kind="outcome",
            beneficiary="patients",
            unit="%",
            improvement_direction="increase",
            frequency="monthly",
            data_source="s",
            latest_period=TODAY,
        )
        fresh.initiatives.add(better)
        cls.unmeasured = unmeasured

    def test_it_counts_active_initiatives_by_verdict_with_no_row_as_not_measured(self):
        g = glance(self.trust, TODAY).working
        counts = dict(g.verdicts)
        self.assertEqual(
            counts, {"deteriorating": 1, "improving": 1, "no_change": 0, "not_enough_data": 0, "not_measured": 2}
        )

    def test_it_lists_the_deteriorating_and_counts_the_flags_and_stale_data(self):
        g = glance(self.trust, TODAY).working
        self.assertEqual([i.reference for i in g.deteriorating], ["A-1"])
        self.assertEqual(dict(g.flags), {"no_outcome_or_adoption": 2, "activity_only": 1, "mixed": 1})
        self.assertEqual(g.stale, 1)
