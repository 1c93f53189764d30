"""The office's policy workbench: a policy's particulars, its rule edited in forms (or loaded
from a rule file), the test cases run on every save, the sandbox before publishing, and
publishing with validity dates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import OFFICE_ROLES
from lianqi.core.views import RoleRequiredMixin
from lianqi.org.permissions import departments_visible
from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    RuleError,
    RuleSet,
    dump_json,
    dump_yaml,
    rules_from_data,
    rules_from_tables,
    rules_to_data,
    rules_to_tables,
    run_test_cases,
    write_xlsx,
    yaml_available,
)
from lianqi.rules.formats import SHEET_NODES, SHEET_PARAMETERS, SHEET_RULES, SHEET_TESTS

from .. import actions, queries
from ..forms.workbench import (
    BenefitForm,
    ConditionFormSet,
    ParameterFormSet,
    PolicyForm,
    RuleFileForm,
    TestFormSet,
    VersionForm,
    column_key,
    rows_from_tables,
    tables_from_forms,
)
from ..models import Policy, PolicyVersion
from ..permissions import access_policy, access_version

WORKBENCH_ROLES = tuple(OFFICE_ROLES)


def _editable(request: HttpRequest, pk: int) -> Policy:
    # Only policies issued inside the user's jurisdiction are edited there; a city's policy is
    # read, not rewritten, by a park.
    return access_policy(request.user, pk, to_change=True)


class PolicyCreateView(RoleRequiredMixin, View):
    """Put a new policy on the shelf; its rule is then drafted on the workbench."""

    allowed_roles = WORKBENCH_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PolicyForm(departments=departments_visible(request.user))
        return render(request, "policies/policy_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PolicyForm(request.POST, departments=departments_visible(request.user))
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is None:
            form.add_error(None, _("您的账号没有所属辖区，不能发布政策"))
        elif form.is_valid():
            try:
                policy = actions.create_policy(
                    actor=acting_user(request), jurisdiction=jurisdiction, **form.cleaned_data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已创建政策，请编写申报条件"))
                return redirect("policies:workbench", pk=policy.pk)
        return render(request, "policies/policy_form.html", {"form": form}, status=400)


class PolicyUpdateView(RoleRequiredMixin, View):
    """Change a policy's particulars."""

    allowed_roles = WORKBENCH_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = _editable(request, pk)
        form = PolicyForm(instance=policy, departments=departments_visible(request.user))
        return render(request, "policies/policy_form.html", {"form": form, "policy": policy})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = _editable(request, pk)
        form = PolicyForm(
            request.POST,
            # A second copy: the form writes into its instance while validating.
            instance=_editable(request, pk),
            departments=departments_visible(request.user),
        )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
            try:
                actions.update_policy(policy=policy, actor=acting_user(request), **data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("policies:detail", pk=policy.pk)
        return render(request, "policies/policy_form.html", {"form": form, "policy": policy}, status=400)


def _starting_rule(policy: Policy) -> tuple[RuleSet | None, PolicyVersion | None]:
    """What the workbench opens with: the latest draft, else the version in force, else the
    latest version, else nothing (a blank tree)."""
    draft = queries.latest_draft(policy)
    base = draft or queries.shown_version(policy, timezone.localdate())
    if base is None:
        return None, None
    return rules_from_data(base.rule, ENTERPRISE_CATALOGUE), draft


def _blank_tables(policy: Policy) -> dict[str, list[dict[str, Any]]]:
    return {
        SHEET_RULES: [{"code": policy.code, "name": policy.title, "unit": "万元"}],
        SHEET_NODES: [{"path": "1", "node": "全部满足"}],
        SHEET_PARAMETERS: [],
        SHEET_TESTS: [],
    }


class WorkbenchView(RoleRequiredMixin, View):
    """Edit a policy's rule in forms. Every save checks the whole rule (faults shown on the
    row and field they concern) and runs its test cases; the sandbox compares the draft with
    the version in force; publishing refuses failing test cases."""

    allowed_roles = WORKBENCH_ROLES

    def _forms(self, policy: Policy, data: Any = None) -> dict[str, Any]:
        ruleset, draft = _starting_rule(policy)
        tables = rows_from_tables(rules_to_tables(ruleset)) if ruleset is not None else _blank_tables(policy)
        rule_row = tables[SHEET_RULES][0] if tables[SHEET_RULES] else {}
        current = queries.version_on(policy, timezone.localdate())
        version_initial = {
            "valid_from": draft.valid_from if draft else timezone.localdate(),
            "valid_to": draft.valid_to if draft else None,
            "note": draft.note if draft else "",
        }
        return {
            "policy": policy,
            "draft": draft,
            "current": current,
            "rule_name": (data or {}).get("rule_name", rule_row.get("name") or policy.title),
            # A bound formset gets no `initial`: a posted row equal to its initial row would
            # count as unchanged and be skipped.
            "benefit_form": BenefitForm(data, initial=rule_row, prefix="benefit"),
            "conditions": ConditionFormSet(
                data, initial=None if data else tables[SHEET_NODES], prefix="node"
            ),
            "parameters": ParameterFormSet(
                data, initial=None if data else tables[SHEET_PARAMETERS], prefix="parameter"
            ),
            "tests": TestFormSet(data, initial=None if data else tables[SHEET_TESTS], prefix="test"),
            "version_form": VersionForm(data, initial=version_initial, prefix="version"),
            "file_form": RuleFileForm(),
            "yaml": yaml_available(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = _editable(request, pk)
        context = self._forms(policy)
        ruleset, _draft = _starting_rule(policy)
        if ruleset is not None:
            _read_rows(context, ruleset)
        return render(request, "policies/workbench.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = _editable(request, pk)
        context = self._forms(policy, request.POST)
        intent = request.POST.get("intent", "save")
        forms_valid = all(
            f.is_valid()
            for f in (
                context["benefit_form"],
                context["conditions"],
                context["parameters"],
                context["tests"],
                context["version_form"],
            )
        )
        if not forms_valid:
            return render(request, "policies/workbench.html", context, status=400)
        tables = tables_from_forms(
            policy.code,
            (request.POST.get("rule_name") or policy.title).strip()[:200],
            context["benefit_form"],
            context["conditions"],
            context["parameters"],
            context["tests"],
        )
        try:
            ruleset = rules_from_tables(tables, ENTERPRISE_CATALOGUE)
        except RuleError as error:
            context["rule_errors"] = _place_issues(context, error)
            return render(request, "policies/workbench.html", context, status=400)
        version_data = context["version_form"].cleaned_data
        try:
            draft = actions.save_policy_draft(
                policy=policy,
                actor=acting_user(request),
                rule=rules_to_data(ruleset),
                valid_from=version_data["valid_from"],
                valid_to=version_data.get("valid_to"),
                note=version_data.get("note") or "",
                draft=context["draft"],
            )
        except ValidationError as error:
            add_action_errors(context["version_form"], error)
            context["rule_errors"] = error.message_dict.get("rule", [])
            return render(request, "policies/workbench.html", context, status=400)
        context["draft"] = draft
        _read_rows(context, ruleset)
        context["failures"] = run_test_cases(ruleset.rules[0], parameters=ruleset.parameters)
        context["test_count"] = len(ruleset.rules[0].tests)
        if intent == "sandbox":
            context["sandbox"] = queries.sandbox(policy, draft.rule, day=version_data["valid_from"])
            ids = context["sandbox"].entering[:50] + context["sandbox"].leaving[:50]
            names = queries.enterprise_names(ids)
            context["entering_names"] = [names[i] for i in context["sandbox"].entering[:50] if i in names]
            context["leaving_names"] = [names[i] for i in context["sandbox"].leaving[:50] if i in names]
        elif intent == "publish":
            try:
                actions.publish_policy_version(version=draft, actor=acting_user(request))
            except ValidationError as error:
                context["rule_errors"] = [m for messages_ in error.message_dict.values() for m in messages_]
                return render(request, "policies/workbench.html", context, status=400)
            messages.success(request, _("已发布第 %(n)s 版，匹配结果正在更新") % {"n": draft.number})
            return redirect("policies:detail", pk=policy.pk)
        else:
            messages.success(request, _("草稿已保存"))
        return render(request, "policies/workbench.html", context)


def _read_rows(context: dict[str, Any], ruleset: RuleSet) -> None:
    """Give each condition row the sentence it reads as, so that the office sees the rule in
    words above the fields that write it."""
    sentences = queries.node_sentences(ruleset, day=timezone.localdate())
    for form in context["conditions"].forms:
        form.sentence = sentences.get(str(form["path"].value() or "").strip())


def _place_issues(context: dict[str, Any], error: RuleError) -> list[str]:
    """Put each fault next to the row and field it names; return those that have no place."""
    places = {
        SHEET_NODES: context["conditions"],
        SHEET_PARAMETERS: context["parameters"],
        SHEET_TESTS: context["tests"],
    }
    loose: list[str] = []
    for issue in error.issues:
        message = issue.message if not issue.path else f"{issue.path}：{issue.message}"
        key = column_key(issue.sheet, issue.field) if issue.field else None
        if issue.sheet == SHEET_RULES and key and key in context["benefit_form"].fields:
            context["benefit_form"].add_error(key, message)
            continue
        formset = places.get(issue.sheet)
        if formset is not None and issue.line and 0 < issue.line <= len(formset.forms):
            form = formset.forms[issue.line - 1]
            form.add_error(key if key in form.fields else None, message)
            continue
        loose.append(str(issue))
    return loose


class RuleImportView(RoleRequiredMixin, View):
    """Load a rule file into a new draft (refused whole, each fault with its line or row)."""

    allowed_roles = WORKBENCH_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = _editable(request, pk)
        form = RuleFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                ruleset = queries.read_rule_file(policy, name=upload.name, content=upload.read())
                draft = queries.latest_draft(policy)
                actions.save_policy_draft(
                    policy=policy,
                    actor=acting_user(request),
                    rule=rules_to_data(ruleset),
                    valid_from=draft.valid_from if draft else timezone.localdate(),
                    valid_to=draft.valid_to if draft else None,
                    note=_("由文件导入：%(name)s") % {"name": upload.name},
                    draft=draft,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已导入规则文件，请检查后保存或发布"))
                return redirect("policies:workbench", pk=policy.pk)
        view = WorkbenchView()
        context = view._forms(policy)
        context["file_form"] = form
        return render(request, "policies/workbench.html", context, status=400)


class RuleExportView(RoleRequiredMixin, View):
    """A version's rule as a file (JSON, YAML or the spreadsheet): `?version=` or the version
    in force, else the latest."""

    allowed_roles = WORKBENCH_ROLES

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        number = request.GET.get("version", "")
        version: PolicyVersion | None
        if number.isdigit():
            version = access_version(request.user, pk, int(number))
            policy = version.policy
        else:
            policy = access_policy(request.user, pk)
            version = queries.shown_version(policy, timezone.localdate())
        if version is None:
            raise Http404
        ruleset = rules_from_data(version.rule, ENTERPRISE_CATALOGUE)
        filename = f"{policy.code}-v{version.number}.{fmt}"
        if fmt == "json":
            response = HttpResponse(dump_json(ruleset), content_type="application/json; charset=utf-8")
        elif fmt == "yaml" and yaml_available():
            response = HttpResponse(dump_yaml(ruleset), content_type="application/yaml; charset=utf-8")
        elif fmt == "xlsx":
            response = HttpResponse(
                write_xlsx(ruleset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
