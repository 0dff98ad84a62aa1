# Local development and CI entry points. No Docker engine needed: Postgres (private cluster under
# .data/) and Tansu (Kafka API) run as plain processes on loopback. See deploy/local/*.sh.
#
# Ports (override from the environment): CRM_PG_PORT=55432 CRM_KAFKA_PORT=19092
#   CRM_LEAD_INTAKE_PORT=8081 CRM_ASSIGNMENT_PORT=8082 CRM_CONTRACT_WORKFLOW_PORT=8083
#   CRM_NOTIFICATIONS_PORT=8084 CRM_REPORTING_PORT=8085

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

LOCAL := deploy/local
# Every command that runs Swift binaries or tests gets the librdkafka >= 2.2 from the
# confluent-kafka wheel (linked by `make setup`); Debian's 2.0.2 cannot talk to Tansu.
RUNENV := LD_LIBRARY_PATH=$(CURDIR)/.data/lib$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}

.PHONY: help setup build infra-up infra-down infra-status test test-faults run stop status clean-data bench-intake bench

help: ## list the targets
	@echo "make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

setup: ## install Debian packages, .venv (Tansu, librdkafka), .data/lib link (idempotent)
	@bash $(LOCAL)/setup.sh

build: setup ## swift build (debug)
	$(RUNENV) swift build

infra-up: setup ## start Postgres (127.0.0.1:55432) and Tansu (127.0.0.1:19092)
	@bash $(LOCAL)/infra.sh up

infra-down: ## stop Postgres and Tansu
	@bash $(LOCAL)/infra.sh down

infra-status: ## show whether Postgres and Tansu are running
	@bash $(LOCAL)/infra.sh status

test: setup ## infra-up, swift build, swift test, compose check; stops what it started
	@$(RUNENV) bash $(LOCAL)/test.sh

test-faults: setup ## fault drills: kill -9, Postgres restart, rebalances, poison under load (CRM_FAULT_RUNS=3)
	@$(RUNENV) bash $(LOCAL)/test-faults.sh

run: infra-up build ## start the five services in the background and print where they are
	@$(RUNENV) bash $(LOCAL)/services.sh start

stop: ## stop the five services (SIGTERM, SIGKILL after 15 s)
	@bash $(LOCAL)/services.sh stop

status: ## state of infrastructure and services
	@bash $(LOCAL)/infra.sh status || true
	@bash $(LOCAL)/services.sh status || true

bench-intake: infra-up ## intake benchmark: release lead-intake alone, BENCH_COUNT (20000) leads, prints leads/s
	@$(RUNENV) bash $(LOCAL)/bench-intake.sh

bench: infra-up ## pipeline benchmark: release services, open-loop rates + full speed, latency/lag/memory table
	@$(RUNENV) bash $(LOCAL)/bench.sh

clean-data: ## stop everything and delete .data (except the librdkafka link)
	@bash $(LOCAL)/services.sh stop
	@bash $(LOCAL)/infra.sh purge
	@if [ -d .data ]; then find .data -mindepth 1 -maxdepth 1 ! -name lib -exec rm -rf {} +; fi
