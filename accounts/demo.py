from accounts.models import Role, User

PEOPLE = [
    # key, e-mail, name, job title, role
    ("admin", "admin@example.org", "Alex Morgan", "Systems administrator", Role.ADMIN),
    ("secretariat", "secretariat@example.org", "Sam Patel", "Board development officer", Role.SECRETARIAT),
    ("board", "board@example.org", "Judith Clarke", "Independent chair of the partnership", Role.BOARD),
    (
        "lead",
        "safeguarding.lead@example.org",
        "Marcus Reid",
        "Local Authority Designated Officer (LADO)",
        Role.SAFEGUARDING_LEAD,
    ),
    ("champion", "champion@example.org", "Priya Shah", "Designated safeguarding lead", Role.MEMBER),
    ("staff", "staff@example.org", "Tom Fletcher", "Teacher of computing", Role.MEMBER),
]


def demo_user(ctx, email, full_name, *, job_title="", role=Role.MEMBER, phone=""):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "job_title": job_title, "role": role, "phone": phone}
    )
    if created:
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
    return user


def seed(ctx):
    for key, email, name, job, role in PEOPLE:
        user = demo_user(ctx, email, name, job_title=job, role=role)
        if role == Role.ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        ctx.users[key] = user
