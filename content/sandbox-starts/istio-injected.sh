# Istio installed, and the default namespace labelled for sidecar injection.
istioctl install --set profile=demo -y
kubectl label namespace default istio-injection=enabled
