"""The city of the origin document: its 23 named departments (a few with sections), their
sizes (about 1,500 civil servants in all) and the people who lead and run training."""

CITY = {"code": "city", "name": "市直党政机关", "name_en": "Municipal Party and Government Organs"}

# (code, Chinese name, English name, number of staff, sections as (code, Chinese, English))
DEPARTMENTS = [
    (
        "party-office",
        "市委办公室",
        "Municipal Party Committee Office",
        62,
        [
            ("party-office-secretariat", "秘书科", "Secretariat Section"),
            ("party-office-confidential", "机要科", "Confidential Communications Section"),
        ],
    ),
    (
        "gov-office",
        "市政府办公室",
        "Municipal Government Office",
        78,
        [
            ("gov-office-secretariat", "秘书科", "Secretariat Section"),
            ("gov-office-supervision", "督查科", "Supervision Section"),
            ("gov-office-info", "信息科", "Information Section"),
        ],
    ),
    ("congress", "市人大常委会办公室", "Municipal People's Congress", 45, []),
    ("cppcc", "市政协办公室", "Municipal CPPCC", 40, []),
    ("ndrc", "市发展和改革委员会", "Development and Reform Commission", 70, []),
    (
        "finance",
        "市财政局",
        "Finance Bureau",
        96,
        [
            ("finance-budget", "预算科", "Budget Section"),
            ("finance-treasury", "国库科", "Treasury Section"),
            ("finance-it", "信息中心", "Information Centre"),
        ],
    ),
    ("statistics", "市统计局", "Statistics Bureau", 48, []),
    (
        "public-security",
        "市公安局",
        "Public Security Bureau",
        250,
        [
            ("ps-command", "指挥中心", "Command Centre"),
            ("ps-household", "户政科", "Household Registration Section"),
            ("ps-cyber", "网络安全保卫科", "Cyber Security Section"),
        ],
    ),
    ("audit", "市审计局", "Audit Bureau", 52, []),
    ("personnel", "市人事局", "Personnel Bureau", 58, []),
    ("labor", "市劳动局", "Labor Bureau", 72, []),
    (
        "education",
        "市教育局",
        "Education Bureau",
        110,
        [
            ("education-basic", "基础教育科", "Basic Education Section"),
            ("education-exams", "招生考试办公室", "Admissions and Examinations Office"),
        ],
    ),
    ("agriculture", "市农业局", "Agriculture Bureau", 85, []),
    ("science", "市科学技术局", "Science and Technology Bureau", 42, []),
    ("planning", "市规划局", "Planning Bureau", 55, []),
    ("transport", "市交通局", "Transportation Bureau", 80, []),
    ("water", "市水务局", "Water Affairs Bureau", 60, []),
    ("archives", "市档案局", "Archives Bureau", 30, []),
    ("prices", "市物价局", "Price Bureau", 32, []),
    ("seismology", "市地震局", "Seismological Bureau", 22, []),
    ("radio-tv", "市广播电视局", "Radio and Television Bureau", 48, []),
    ("opening-up", "市对外开放办公室", "Opening-up Office", 25, []),
    (
        "informatization",
        "市信息化工作办公室",
        "Municipal Informatization Office",
        18,
        [
            ("informatization-planning", "规划建设科", "Planning and Construction Section"),
            ("informatization-security", "网络与信息安全科", "Network and Information Security Section"),
        ],
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
GIVEN_CHARACTERS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅晓东春雷文博思远雅琴子涵浩然欣怡宇轩梓萱"
)

POSITIONS = ["科员", "科员", "科员", "副主任科员", "主任科员", "副科长", "科长"]
RANK_FOR_POSITION = {
    "科员": "clerk",
    "副主任科员": "clerk",
    "主任科员": "section_deputy",
    "副科长": "section_deputy",
    "科长": "section_chief",
}

DEMO_PASSWORD = "Training-2026"  # noqa: S105 - published in the README for the demo only

# Named demo accounts: username, display name, department code, position, rank, roles
NAMED_USERS = [
    ("cityadmin", "信息办管理员", "informatization", "主任", "bureau_chief", {"is_city_admin": True}),
    ("trainer1", "王培训", "informatization-planning", "培训专员", "section_chief", {"is_trainer": True}),
    ("trainer2", "李课程", "informatization-security", "培训专员", "section_deputy", {"is_trainer": True}),
    ("learner", "张学员", "finance-budget", "科员", "clerk", {}),
]

# Required learning the informatization office has set: (course slug, department code, positions,
# due in N days from loading (negative: already past), or None with days after being assigned,
# repeat yearly). Terminal security is the yearly city-wide duty; the e-government basics were due
# last month for two offices, so their heads have overdue people to chase.
REQUIRED_LEARNING = [
    ("terminal-security", "city", "", 35, None, True),
    ("egov-basics", "finance", "", -20, None, False),
    ("egov-basics", "gov-office", "", -20, None, False),
    ("project-governance", "city", "局长, 科长, 副科长", None, 90, False),
]
