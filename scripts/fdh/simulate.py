#!/usr/bin/env python3
"""Regenerates the Fraud Detection Handbook's simulated card transactions with other seeds.

A re-implementation with numpy only (no pandas) of the handbook's transaction simulator
(Le Borgne et al., *Reproducible Machine Learning for Credit Card Fraud Detection - Practical
Handbook*, chapter 3.2 "Transaction data simulator", GPL-3.0 code): the same profiles,
distributions, call order and fraud scenarios, with every seed offset by the arguments.

  customers  : np.random.seed(customer_seed); per customer x, y ~ U(0,100), mean amount ~ U(5,100),
               std = mean / 2, mean transactions a day ~ U(0,4)
  terminals  : np.random.seed(terminal_seed); x, y ~ U(0,100); a customer uses the terminals within r = 5
  transactions: per customer, random.seed / np.random.seed(customer id + tx_seed); per day
               Poisson(mean) transactions at int(N(43200, 20000)) s (dropped outside the day),
               amount N(mean, std) (U(0, 2 mean) if negative), rounded to cents, terminal random.choice
  frauds     : 1. amount > 220; 2. each day 2 terminals drawn (seed day + fraud_seed), all their
               transactions of the next 28 days; 3. each day 3 customers drawn (seed day + fraud_seed),
               a third of their transactions of the next 14 days (random.seed(day + fraud_seed)) get 5x
               the amount and are fraud.

With --customer-seed 0 --terminal-seed 1 --tx-seed 0 --fraud-seed 0 (the handbook's seeds) it follows
the handbook's draws; pandas' .sample(n, random_state=day) is RandomState(day).choice(N, n, replace=False)
here, and rows of the same second keep a stable order, so the published file is not reproduced to the row.

usage: simulate.py OUT.csv.gz [--customer-seed S] [--terminal-seed S] [--tx-seed S] [--fraud-seed S]
       [--customers 5000] [--terminals 10000] [--days 183] [--start 2018-04-01] [--radius 5]
"""
import argparse
import datetime
import gzip
import random

import numpy as np


def main():
    a = argparse.ArgumentParser()
    a.add_argument("out")
    a.add_argument("--customer-seed", type=int, default=0)
    a.add_argument("--terminal-seed", type=int, default=1)
    a.add_argument("--tx-seed", type=int, default=0)
    a.add_argument("--fraud-seed", type=int, default=0)
    a.add_argument("--customers", type=int, default=5000)
    a.add_argument("--terminals", type=int, default=10000)
    a.add_argument("--days", type=int, default=183)
    a.add_argument("--start", default="2018-04-01")
    a.add_argument("--radius", type=float, default=5.0)
    o = a.parse_args()

    np.random.seed(o.customer_seed)
    customers = []
    for c in range(o.customers):
        x = np.random.uniform(0, 100)
        y = np.random.uniform(0, 100)
        mean_amount = np.random.uniform(5, 100)
        std_amount = mean_amount / 2
        mean_nb_tx = np.random.uniform(0, 4)
        customers.append((c, x, y, mean_amount, std_amount, mean_nb_tx))

    np.random.seed(o.terminal_seed)
    terminals = np.array([(np.random.uniform(0, 100), np.random.uniform(0, 100)) for _ in range(o.terminals)])

    rows = []  # (seconds, day, customer, terminal, amount)
    for c, x, y, mean_amount, std_amount, mean_nb_tx in customers:
        dist = np.sqrt(np.sum(np.square(np.array([x, y]) - terminals), axis=1))
        available = list(np.where(dist < o.radius)[0])
        random.seed(c + o.tx_seed)
        np.random.seed(c + o.tx_seed)
        for day in range(o.days):
            nb_tx = np.random.poisson(mean_nb_tx)
            for _ in range(nb_tx):
                time_tx = int(np.random.normal(86400 / 2, 20000))
                if 0 < time_tx < 86400:
                    amount = np.random.normal(mean_amount, std_amount)
                    if amount < 0:
                        amount = np.random.uniform(0, mean_amount * 2)
                    amount = np.round(amount, decimals=2)
                    if len(available) > 0:
                        rows.append((time_tx + day * 86400, day, c, int(random.choice(available)), float(amount)))

    rows.sort(key=lambda r: r[0])  # stable: same-second rows keep the customer order
    n = len(rows)
    seconds = np.array([r[0] for r in rows], dtype=np.int64)
    days = np.array([r[1] for r in rows], dtype=np.int64)
    customer = np.array([r[2] for r in rows], dtype=np.int64)
    terminal = np.array([r[3] for r in rows], dtype=np.int64)
    amount = np.array([r[4] for r in rows], dtype=np.float64)
    fraud = np.zeros(n, dtype=np.int64)
    scenario = np.zeros(n, dtype=np.int64)

    over = amount > 220
    fraud[over] = 1
    scenario[over] = 1
    last_day = int(days.max())
    for day in range(last_day):
        picked = np.random.RandomState(day + o.fraud_seed).choice(o.terminals, 2, replace=False)
        hit = (days >= day) & (days < day + 28) & np.isin(terminal, picked)
        fraud[hit] = 1
        scenario[hit] = 2
    for day in range(last_day):
        picked = np.random.RandomState(day + o.fraud_seed).choice(o.customers, 3, replace=False)
        idx = list(np.where((days >= day) & (days < day + 14) & np.isin(customer, picked))[0])
        random.seed(day + o.fraud_seed)
        chosen = random.sample(idx, k=int(len(idx) / 3))
        if chosen:
            chosen = np.array(chosen)
            amount[chosen] = amount[chosen] * 5
            fraud[chosen] = 1
            scenario[chosen] = 3

    start = datetime.datetime.fromisoformat(o.start)
    with gzip.open(o.out, "wt", newline="") as f:
        f.write("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n")
        for i in range(n):
            t = start + datetime.timedelta(seconds=int(seconds[i]))
            f.write(f"{i},{t:%Y-%m-%d %H:%M:%S},{customer[i]},{terminal[i]},{round(amount[i], 2)},{seconds[i]},{days[i]},{fraud[i]},{scenario[i]}\n")
    print(n, "transactions,", int(fraud.sum()), "fraud,", "scenarios", [int((scenario == s).sum()) for s in (1, 2, 3)])


if __name__ == "__main__":
    main()
