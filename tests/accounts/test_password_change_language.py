"""The password change form speaks Chinese to a Chinese visitor, validators' messages included."""

import re

import pytest
from django.utils.html import strip_tags

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "correct-horse-battery"


def errors_in_chinese(client, **fields) -> str:
    user = UserFactory(username="zhang.san", display_name="张三")
    client.force_login(user)
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    response = client.post("/accounts/password/", {"old_password": OLD_PASSWORD, **fields})
    assert response.status_code == 200
    return strip_tags(response.content.decode())


def no_english_sentence(text: str) -> bool:
    return re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", text) is None


@pytest.mark.parametrize(
    ("new_password", "expected"),
    [
        ("short-pw", "密码太短，至少需要 10 个字符。"),  # Django 5.2's own msgid has no zh_Hans translation
        ("1234567890123", "密码只包含数字。"),
        ("password1234", "这个密码太常见了。"),
        ("zhang.san.1", "相似"),  # too similar to the username
    ],
)
def test_validator_messages_are_chinese(client, new_password, expected):
    page = errors_in_chinese(client, new_password1=new_password, new_password2=new_password)
    assert expected in page
    assert "This password" not in page and "The password" not in page


def test_mismatch_and_wrong_old_password_are_chinese(client):
    page = errors_in_chinese(client, old_password="wrong", new_password1="Tr4in-ing-2027", new_password2="other-2027x")
    assert "旧密码不正确" in page and "两个密码不一致" in page
    assert "incorrectly" not in page and "didn’t match" not in page


def test_the_help_texts_are_chinese(client):
    page = errors_in_chinese(client, new_password1="", new_password2="")
    assert "你的密码必须包含至少 10 个字符。" in page
    main = page[page.index("修改密码") :]
    assert no_english_sentence(main), main
