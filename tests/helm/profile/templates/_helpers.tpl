{{- define "profile.templateName" -}}
{{ .Template.Name }}
{{- end -}}
