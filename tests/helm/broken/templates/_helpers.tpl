{{- define "broken.owner" -}}
{{ .Values.owner.name }}
{{- end -}}
