# Bookinfo running and published on the ingress gateway (an Istio Gateway and VirtualService).
istioctl install --set profile=demo -y
kubectl label namespace default istio-injection=enabled
kubectl apply -f ~/samples/bookinfo/bookinfo.yaml
kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml
kubectl wait --for=condition=available deployment --all --timeout=300s
