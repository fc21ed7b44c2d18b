{{- define "broker.fullname" -}}
{{ .Release.Name }}-contract-broker
{{- end -}}

{{- define "broker.labels" -}}
app.kubernetes.io/name: contract-broker
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "broker.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
