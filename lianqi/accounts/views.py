from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from lianqi.core.roles import Role
from lianqi.core.views import RoleRequiredMixin

from .forms import LoginForm, StyledPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class UserListView(RoleRequiredMixin, TemplateView):
    """Placeholder until the user-administration pages land (see accounts helper)."""

    allowed_roles = (Role.ADMIN,)
    template_name = "accounts/user_list.html"
