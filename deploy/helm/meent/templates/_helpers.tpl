{{/* The release's name for every object (at most 63 characters, as Kubernetes names must be). */}}
{{- define "meent.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "meent.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component (web, worker, migrate): call with (list . "web"). */}}
{{- define "meent.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "meent.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag }}
{{- end -}}

{{- define "meent.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secret" (include "meent.fullname" .)) -}}
{{- end -}}

{{- define "meent.mediaClaim" -}}
{{- .Values.media.existingClaim | default (printf "%s-media" (include "meent.fullname" .)) -}}
{{- end -}}

{{/* The environment of every Meent container: the ConfigMap and the Secret. */}}
{{- define "meent.envFrom" -}}
- configMapRef:
    name: {{ include "meent.fullname" . }}-config
- secretRef:
    name: {{ include "meent.secretName" . }}
{{- end -}}

{{/* What every Meent container keeps: no privileges, a read-only root, /tmp of its own. */}}
{{- define "meent.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Probes name an allowed host and HTTPS, as the proxy in front does (production settings refuse
     other hosts and redirect plain HTTP); deploy/container/livez.py sends the same. */}}
{{- define "meent.probeHeaders" -}}
httpHeaders:
  - name: Host
    value: {{ .Values.ingress.host | quote }}
  - name: X-Forwarded-Proto
    value: https
{{- end -}}
