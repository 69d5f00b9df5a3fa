{{- define "app.image" -}}
{{- $tag := default .defaultTag .image.tag -}}
{{- print .image.registry "/" .image.repository ":" $tag -}}
{{- end -}}
