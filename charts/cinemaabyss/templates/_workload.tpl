{{/*
The objects of one service. Called with a dict:
  root       the chart's root context ($)
  component  the service's name (gateway, legacy-monolith, ...); the container and label name
  name       suffix of the object names, e.g. gateway-canary (default: component)
  values     the service's values (.Values.gateway, ...)
  track      stable | canary for the gateway, whose two Deployments select disjoint pods
  image      the image values ({repository, tag}) (default: values.image)
  replicas   the replica count (default: values.replicaCount)
  database   whether the service reads DB_CONNECTION_STRING
  config     the ConfigMap keys it reads besides LOG_LEVEL
  secretEnv  further variables read from Secrets: a list of {name, secret, key}
  secretChecksum  a checksum of the Secrets the release renders for secretEnv
*/}}

{{- define "cinemaabyss.objectName" -}}
{{- include "cinemaabyss.componentName" (dict "root" .root "component" (default .component .name)) }}
{{- end }}

{{- define "cinemaabyss.deployment" -}}
{{- $root := .root }}
{{- $values := .values }}
{{- $image := include "cinemaabyss.image" (dict "root" $root "component" .component "image" (default $values.image .image)) }}
{{- $configMap := printf "%s-config" (include "cinemaabyss.fullname" $root) }}
{{- $autoscaled := and $values.autoscaling $values.autoscaling.enabled (ne .track "canary") }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "cinemaabyss.objectName" . }}
  labels:
    {{- include "cinemaabyss.componentLabels" . | nindent 4 }}
spec:
  {{- if not $autoscaled }}
  replicas: {{ default $values.replicaCount .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "cinemaabyss.componentSelectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "cinemaabyss.componentLabels" . | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # A changed ConfigMap or database Secret rolls the pods, which read them once at start.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- if .database }}
        checksum/database: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- end }}
        {{- with .secretChecksum }}
        checksum/secrets: {{ . }}
        {{- end }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "cinemaabyss.serviceAccountName" $root }}
      automountServiceAccountToken: false
      # Services are found by DNS: no <SERVICE>_PORT variables in every process.
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: 30
      {{- if $values.waitForMonolith }}
      initContainers:
        # The monolith owns the schema and migrates it on start; this service needs its tables.
        - name: wait-for-monolith
          image: {{ $image }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["node", "-e"]
          args:
            - |
              const url = `${process.env.MONOLITH_URL}/health`;
              const attempt = () =>
                fetch(url, { signal: AbortSignal.timeout(3000) })
                  .then((response) => {
                    if (!response.ok) throw new Error(`status ${response.status}`);
                    process.exit(0);
                  })
                  .catch((err) => {
                    console.log(`waiting for the monolith at ${url}: ${err.message}`);
                    setTimeout(attempt, 2000);
                  });
              attempt();
          env:
            - name: MONOLITH_URL
              valueFrom:
                configMapKeyRef:
                  name: {{ $configMap }}
                  key: MONOLITH_URL
          resources:
            requests:
              cpu: 10m
              memory: 32Mi
            limits:
              memory: 64Mi
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ $image }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $values.port }}
              protocol: TCP
          env:
            - name: PORT
              value: {{ $values.port | quote }}
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef:
                  name: {{ $configMap }}
                  key: LOG_LEVEL
            {{- include "cinemaabyss.tracingEnv" $root | nindent 12 }}
            {{- range .config }}
            - name: {{ . }}
              valueFrom:
                configMapKeyRef:
                  name: {{ $configMap }}
                  key: {{ . }}
            {{- end }}
            {{- if .database }}
            - name: DB_CONNECTION_STRING
              valueFrom:
                secretKeyRef:
                  name: {{ include "cinemaabyss.databaseSecretName" $root }}
                  key: {{ include "cinemaabyss.databaseSecretKey" $root }}
            {{- end }}
            {{- range .secretEnv }}
            - name: {{ .name }}
              valueFrom:
                secretKeyRef:
                  name: {{ .secret }}
                  key: {{ .key }}
            {{- end }}
            {{- range $name, $value := $values.extraEnv }}
            - name: {{ $name }}
              value: {{ $value | toString | quote }}
            {{- end }}
          # Start-up compiles the TypeScript sources (and the monolith migrates): up to 150 s.
          startupProbe:
            httpGet:
              path: {{ $values.healthPath }}
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 30
          # Unready while a dependency (database, monolith, broker) is down...
          readinessProbe:
            httpGet:
              path: {{ $values.healthPath }}
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          # ...but not restarted for it: liveness only asks whether the process still answers.
          livenessProbe:
            tcpSocket:
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpVolume.sizeLimit }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{- define "cinemaabyss.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "cinemaabyss.objectName" . }}
  labels:
    {{- include "cinemaabyss.componentLabels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "cinemaabyss.componentSelectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .values.port }}
      targetPort: http
      protocol: TCP
{{- end }}

{{- define "cinemaabyss.podDisruptionBudget" -}}
{{- $pdb := .values.podDisruptionBudget }}
{{- if $pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "cinemaabyss.objectName" . }}
  labels:
    {{- include "cinemaabyss.componentLabels" . | nindent 4 }}
spec:
  {{- if hasKey $pdb "minAvailable" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "cinemaabyss.componentSelectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{- define "cinemaabyss.horizontalPodAutoscaler" -}}
{{- $autoscaling := .values.autoscaling }}
{{- if $autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "cinemaabyss.objectName" . }}
  labels:
    {{- include "cinemaabyss.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "cinemaabyss.objectName" . }}
  minReplicas: {{ $autoscaling.minReplicas }}
  maxReplicas: {{ $autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{/* Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler of one service. */}}
{{- define "cinemaabyss.workload" -}}
{{ include "cinemaabyss.deployment" . }}
---
{{ include "cinemaabyss.service" . }}
{{- with (include "cinemaabyss.podDisruptionBudget" .) }}
---
{{ . }}
{{- end }}
{{- with (include "cinemaabyss.horizontalPodAutoscaler" .) }}
---
{{ . }}
{{- end }}
{{- end }}
