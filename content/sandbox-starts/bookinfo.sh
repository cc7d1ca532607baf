# Istio installed and Bookinfo running in the default namespace, every pod with its sidecar.
istioctl install --set profile=demo -y
kubectl label namespace default istio-injection=enabled
kubectl apply -f ~/samples/bookinfo/bookinfo.yaml
kubectl wait --for=condition=available deployment --all --timeout=300s
