{{- define "round-trip.pod" -}}
metadata:
  labels:
    app: worker
spec:
  containers:
    - name: worker
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      livenessProbe:
        tcpSocket: {port: 8080}
        initialDelaySeconds: 3
      volumeMounts:
        - name: state
          mountPath: /data
  volumes:
    - name: state
      emptyDir: {}
{{- end -}}
