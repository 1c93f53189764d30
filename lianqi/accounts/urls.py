from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/export/", views.UserExportView.as_view(), name="user_export"),
    path("users/add/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserUpdateView.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/deactivate/", views.UserActiveView.as_view(active=False), name="user_deactivate"),
    path("users/<int:pk>/activate/", views.UserActiveView.as_view(active=True), name="user_activate"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
]

#: Login, logout and password change keep Django's names (`login`, `logout`,
#: `password_change`) so that the auth machinery finds them; mounted at /accounts/.
#: Logout accepts POST only (Django's LogoutView), so a link or an image cannot log anyone out.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
