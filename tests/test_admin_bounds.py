"""The admin is held to the same bounds as every other form (issue 10's known gap; ADR 18):
every model form the admin builds, and its inlines, take their limits from `lib.bounds`."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.test import RequestFactory, TestCase

from headway.accounts.models import User
from headway.assurance.models import Question
from headway.lib import bounds
from tests.factories import PASSWORD


class AdminBoundsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.root = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")

    def admin_forms(self):
        request = RequestFactory().get("/admin/")
        request.user = self.root
        for model, model_admin in admin.site._registry.items():
            yield model, model_admin.get_form(request)()
            for inline in model_admin.get_inline_instances(request):
                yield model, inline.get_formset(request)().form(prefix="x")

    def test_every_admin_form_field_has_the_shared_limits(self) -> None:
        checked = 0
        for model, form in self.admin_forms():
            for name, field in form.fields.items():
                with self.subTest(model=model.__name__, field=name):
                    if isinstance(field, forms.CharField) and type(field).to_python is forms.CharField.to_python:
                        self.assertIsNotNone(field.max_length)
                        self.assertLessEqual(field.max_length, bounds.LONG_TEXT)
                    elif isinstance(field, forms.DecimalField):
                        self.assertIsNotNone(field.max_digits)  # the column's own size holds it
                    elif isinstance(field, forms.IntegerField):
                        self.assertIsNotNone(field.max_value)
                        self.assertLessEqual(field.max_value, max(bounds.MAX_WHOLE_NUMBER, bounds.MAX_POUNDS))
                    elif isinstance(field, forms.DateField):
                        self.assertTrue(any(getattr(v, "__name__", "") == "_date_in_window" for v in field.validators))
                    checked += 1
        self.assertGreater(checked, 100)

    def test_an_over_long_question_is_refused_in_the_admin_and_nothing_changes(self) -> None:
        question = Question.objects.order_by("pk").first()
        assert question is not None
        before = question.wording
        self.client.force_login(self.root)
        response = self.client.post(
            f"/admin/assurance/question/{question.pk}/change/",
            {
                "key": question.key,
                "wording": "x " * bounds.LONG_TEXT,
                "guide_reference": "",
                "version": question.version,
                "active": "on",
                "order": question.order,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"{bounds.LONG_TEXT:,}")
        self.assertEqual(Question.objects.get(pk=question.pk).wording, before)
