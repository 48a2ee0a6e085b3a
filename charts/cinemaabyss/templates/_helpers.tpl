{{/* Chart name, overridable. */}}
{{- define "cinemaabyss.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide prefix of every object name: the release name when it already says cinemaabyss. */}}
{{- define "cinemaabyss.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component's objects: (dict "root" $ "component" "gateway"). */}}
{{- define "cinemaabyss.componentName" -}}
{{- printf "%s-%s" (include "cinemaabyss.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cinemaabyss.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "cinemaabyss.labels" -}}
helm.sh/chart: {{ include "cinemaabyss.chart" . }}
{{ include "cinemaabyss.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cinemaabyss
{{- end }}

{{- define "cinemaabyss.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cinemaabyss.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
One component's labels: (dict "root" $ "component" "gateway" "track" "stable"). `track` is
only given for the gateway, whose stable and canary Deployments must select disjoint pods.
*/}}
{{- define "cinemaabyss.componentLabels" -}}
{{ include "cinemaabyss.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- with .track }}
track: {{ . }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.componentSelectorLabels" -}}
{{ include "cinemaabyss.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- with .track }}
track: {{ . }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cinemaabyss.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* A component's image: (dict "root" $ "component" "gateway" "image" .Values.gateway.image). */}}
{{- define "cinemaabyss.image" -}}
{{- $repository := default (printf "%s/%s" .root.Values.image.repositoryPrefix .component) .image.repository }}
{{- $tag := default (default .root.Chart.AppVersion .root.Values.image.tag) .image.tag }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* Where the services read the database URL from. */}}
{{- define "cinemaabyss.databaseSecretName" -}}
{{- if and .Values.externalDatabase.existingSecret (not .Values.postgresql.enabled) }}
{{- .Values.externalDatabase.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "cinemaabyss.fullname" .) }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.databaseSecretKey" -}}
{{- if and .Values.externalDatabase.existingSecret (not .Values.postgresql.enabled) }}
{{- .Values.externalDatabase.existingSecretKey }}
{{- else }}
{{- print "DB_CONNECTION_STRING" }}
{{- end }}
{{- end }}

{{/* The Secret holding the gateway's ADMIN_TOKEN; empty when the admin API is off. */}}
{{- define "cinemaabyss.adminSecretName" -}}
{{- if .Values.gateway.admin.existingSecret }}
{{- .Values.gateway.admin.existingSecret }}
{{- else if .Values.gateway.admin.token }}
{{- printf "%s-gateway-admin" (include "cinemaabyss.fullname" .) }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.adminSecretKey" -}}
{{- if .Values.gateway.admin.existingSecret }}
{{- .Values.gateway.admin.existingSecretKey }}
{{- else }}
{{- print "ADMIN_TOKEN" }}
{{- end }}
{{- end }}

{{/* The in-chart PostgreSQL's password: given, else the one already stored, else generated. */}}
{{- define "cinemaabyss.postgresqlPassword" -}}
{{- if .Values.postgresql.auth.password }}
{{- .Values.postgresql.auth.password }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "cinemaabyss.databaseSecretName" .) }}
{{- if and $existing (hasKey $existing.data "POSTGRES_PASSWORD") }}
{{- index $existing.data "POSTGRES_PASSWORD" | b64dec }}
{{- else }}
{{- randAlphaNum 24 }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.kafkaBrokers" -}}
{{- if .Values.kafka.enabled }}
{{- printf "%s:9092" (include "cinemaabyss.componentName" (dict "root" . "component" "kafka")) }}
{{- else }}
{{- .Values.externalKafka.brokers }}
{{- end }}
{{- end }}

{{/* Base URL of an in-release service: (dict "root" $ "component" "legacy-monolith" "port" 8080). */}}
{{- define "cinemaabyss.serviceUrl" -}}
{{- printf "http://%s:%v" (include "cinemaabyss.componentName" .) .port }}
{{- end }}

{{/* Settings the chart cannot express in values.schema.json. */}}
{{- define "cinemaabyss.validate" -}}
{{- if and .Values.postgresql.enabled .Values.externalDatabase.existingSecret }}
{{- fail "postgresql.enabled and externalDatabase.existingSecret exclude each other: the in-chart PostgreSQL writes its own Secret" }}
{{- end }}
{{- $tracing := .Values.tracing }}
{{- if and $tracing.enabled (not (or $tracing.zipkinEndpoint $tracing.otlpEndpoint)) }}
{{- fail "tracing.enabled needs a backend: set tracing.zipkinEndpoint or tracing.otlpEndpoint" }}
{{- end }}
{{- if and $tracing.zipkinEndpoint $tracing.otlpEndpoint }}
{{- fail "tracing.zipkinEndpoint and tracing.otlpEndpoint exclude each other: spans go to one backend" }}
{{- end }}
{{- $canary := .Values.gateway.canary }}
{{- if and $canary.enabled (eq $canary.trafficSplit "nginx") (not .Values.ingress.enabled) }}
{{- fail "gateway.canary.trafficSplit=nginx splits traffic with a canary Ingress: set ingress.enabled=true, or trafficSplit=httproute" }}
{{- end }}
{{- end }}

{{/*
The tracing variables of every service container (TRACING and the standard OTEL_* ones), read
from the ConfigMap like the rest of the configuration.
*/}}
{{- define "cinemaabyss.tracingEnv" -}}
{{- $configMap := printf "%s-config" (include "cinemaabyss.fullname" .) }}
{{- $tracing := .Values.tracing }}
{{- $names := list "TRACING" }}
{{- if $tracing.enabled }}
{{- $names = concat $names (list "OTEL_TRACES_SAMPLER" "OTEL_TRACES_SAMPLER_ARG" (ternary "OTEL_EXPORTER_ZIPKIN_ENDPOINT" "OTEL_EXPORTER_OTLP_ENDPOINT" (not (empty $tracing.zipkinEndpoint)))) }}
{{- end }}
{{- range $names }}
- name: {{ . }}
  valueFrom:
    configMapKeyRef:
      name: {{ $configMap }}
      key: {{ . }}
{{- end }}
{{- end }}
