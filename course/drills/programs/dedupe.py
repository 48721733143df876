"""Keep the first sign-up of each e-mail address from a newsletter export."""

import random


def load_signups(count, seed=5):
    rng = random.Random(seed)
    names = [f"reader{n}" for n in range(count // 4)]
    domains = ["example.org", "Example.org ", "mail.example.net"]
    return [
        {"email": f" {rng.choice(names)}@{rng.choice(domains)}", "source": rng.choice(["web", "app"])}
        for _ in range(count)
    ]


def unique_emails(rows):
    seen = []
    result = []
    for row in rows:
        email = row["email"].strip().lower()
        if email not in seen:
            seen.append(email)
            result.append(row)
    return result


def main():
    signups = load_signups(5_000)
    kept = unique_emails(signups)
    print(f"{len(kept)} of {len(signups)} sign-ups kept")


if __name__ == "__main__":
    main()
