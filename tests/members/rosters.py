"""Roster files for tests, built the way Excel users make them."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = ["姓名", "工号", "部门", "岗位类别", "职务", "政治面貌", "党支部", "党小组", "出生日期", "学习小组"]


def xlsx_bytes(rows: list[list], header: list[str] = HEADER, title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# Three new people for the cast's court (前郭): one in an existing department, one in a new one.
NEW_PEOPLE = [
    ["孙丽", "3001", "民一庭", "审判辅助", "法官助理", "中共党员", "第一党支部", "", "1995-03-08", ""],
    ["周强", "3002", "民一庭", "审判", "员额法官", "群众", "", "", "1980/11/2", ""],
    ["吴婷", "3003", "政治部", "司法行政", "行政人员", "共青团员", "", "", "1999年1月5日", ""],
]
