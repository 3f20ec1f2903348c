from django.contrib.auth import views as auth_views
from django.urls import path

from headway.accounts import sessions, views
from headway.accounts.forms import LoginForm, PasswordResetRequestForm, SetNewPasswordForm

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            success_url="/password-reset/sent/",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetNewPasswordForm, success_url="/password-reset/complete/"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("organisations/switch/", views.switch_organisation, name="switch_organisation"),
    path("account/", views.account, name="account"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("people/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("session/still-here/", sessions.still_here, name="still_here"),
]
